//! `serve`: the tutorial's web server, in one model, until Ctrl-C or SIGTERM.
fn main() {}
