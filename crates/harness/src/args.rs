//! The few things the harness needs to know from the command line that criterion also
//! reads: the filter, `--exact`, `--list`, `--test` and `--quick`.
//!
//! criterion parses the same arguments itself (`Criterion::configure_from_args`); this
//! reads them again because the memory probes are not criterion benchmarks but must obey
//! the same filter, and because the profile (sizes) depends on `--test` and `--quick`.

use regex::Regex;
use workloads::Profile;

/// criterion's options that take a value: their value is not a filter.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--color",
    "-s",
    "--save-baseline",
    "-b",
    "--baseline",
    "--baseline-lenient",
    "--format",
    "--profile-time",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--plotting-backend",
    "--output-format",
];

/// What the harness read from its arguments.
#[derive(Debug)]
pub struct Args {
    /// Size profile: `--test` → smoke, `--quick` → quick, else full.
    pub profile: Profile,
    /// `--list`: print the benchmark ids, run nothing.
    pub list: bool,
    filter: Filter,
    /// The command as typed, for the report's provenance.
    pub command: String,
}

#[derive(Debug)]
enum Filter {
    All,
    Regex(Regex),
    Exact(String),
}

impl Args {
    /// Reads the process's arguments.
    ///
    /// # Errors
    /// The filter is not a valid regular expression (criterion would refuse it too).
    pub fn from_env() -> Result<Args, String> {
        Args::parse(std::env::args().skip(1))
    }

    /// Reads `args` (without the program name).
    ///
    /// # Errors
    /// As [`Args::from_env`].
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let args: Vec<String> = args.into_iter().collect();
        let (mut test, mut quick, mut list, mut exact) = (false, false, false, false);
        let mut filter = None;
        let mut shown = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let arg = args[i].as_str();
            match arg {
                "--bench" => {}
                "--test" => test = true,
                "--quick" => quick = true,
                "--list" => list = true,
                "--exact" => exact = true,
                _ if OPTIONS_WITH_VALUE.contains(&arg) && i + 1 < args.len() => {
                    // Keep the option; its value is pushed below.
                    shown.push(arg.to_owned());
                    i += 1;
                }
                _ if arg.starts_with('-') => {}
                _ => filter = Some(arg.to_owned()),
            }
            if arg != "--bench" {
                shown.push(args[i].clone());
            }
            i += 1;
        }
        let filter = match filter {
            None => Filter::All,
            Some(text) if exact => Filter::Exact(text),
            Some(text) => Filter::Regex(Regex::new(&text).map_err(|e| format!("bad filter {text:?}: {e}"))?),
        };
        let profile = if test {
            Profile::Smoke
        } else if quick {
            Profile::Quick
        } else {
            Profile::Full
        };
        let command = if shown.is_empty() {
            "cargo bench".to_owned()
        } else {
            format!("cargo bench -- {}", shown.join(" "))
        };
        Ok(Args { profile, list, filter, command })
    }

    /// The filter as typed, if there is one.
    pub fn filter_text(&self) -> Option<&str> {
        match &self.filter {
            Filter::All => None,
            Filter::Regex(regex) => Some(regex.as_str()),
            Filter::Exact(exact) => Some(exact),
        }
    }

    /// Whether the benchmark `id` (e.g. `ping_pong/tokio/10000`) is selected, by the same
    /// rule criterion uses: a regular expression that matches anywhere, or `--exact`.
    pub fn selects(&self, id: &str) -> bool {
        match &self.filter {
            Filter::All => true,
            Filter::Regex(regex) => regex.is_match(id),
            Filter::Exact(exact) => id == exact,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        Args::parse(args.iter().map(|s| s.to_string())).unwrap()
    }

    /// A filter selects like criterion's; option values are not taken for filters.
    #[test]
    fn filter_and_options() {
        use workloads::idle::IDLE;
        use workloads::ping_pong::PING_PONG;
        use workloads::spawn_join::SPAWN_JOIN;
        let args = parse(&["--bench", "--sample-size", "20", PING_PONG.id]);
        assert!(args.selects(&format!("{}/tokio/10000", PING_PONG.id)));
        assert!(!args.selects(&format!("{}/tokio/1000", IDLE.id)));
        assert_eq!(args.profile, Profile::Full);
        assert_eq!(args.command, format!("cargo bench -- --sample-size 20 {}", PING_PONG.id));

        let id = format!("{}/rayon/10000", SPAWN_JOIN.id);
        let exact = parse(&["--exact", &id]);
        assert!(exact.selects(&id));
        assert!(!exact.selects(&format!("{id}0")));
    }

    /// `--test` and `--quick` choose the profile; no arguments select everything.
    #[test]
    fn profiles() {
        assert_eq!(parse(&["--bench", "--test"]).profile, Profile::Smoke);
        assert_eq!(parse(&["--quick"]).profile, Profile::Quick);
        let all = parse(&["--bench"]);
        assert!(all.selects("anything") && all.command == "cargo bench");
    }

    /// A filter that is not a regular expression is refused with the reason.
    #[test]
    fn bad_filter() {
        let err = Args::parse(["(unclosed".to_owned()]).unwrap_err();
        assert!(err.contains("bad filter"), "{err}");
    }
}
