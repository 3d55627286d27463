// Does not compile: `Rc` is not `Send` (its count is not atomic), and it is alive across
// the `.await`, so the future holds it while suspended and is not `Send` either.
use std::rc::Rc;

async fn count_names() -> usize {
    let names = Rc::new(vec!["ada", "grace"]);
    tokio::task::yield_now().await;
    names.len()
}

fn main() {
    drop(tokio::spawn(count_names()));
}
