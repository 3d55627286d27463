// Does not compile (E0373): the task borrows `names`, which `count_names` owns and drops
// when it returns, but a spawned task may outlive the function that spawned it.
async fn count_names() -> usize {
    let names = vec!["ada", "grace"];
    let task = tokio::spawn(async { names.len() });
    task.await.unwrap()
}

fn main() {
    drop(count_names());
}
