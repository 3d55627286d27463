// Does not compile with the lint denied: the call builds a future and drops it at the
// semicolon, unpolled, so nothing is saved. By default it compiles with a warning,
// "unused implementer of `Future` that must be used".
#![deny(unused_must_use)]

async fn save(entry: &str) {
    println!("saved {entry}");
}

async fn handle_order() {
    save("order 1");
}

fn main() {
    drop(handle_order());
}
