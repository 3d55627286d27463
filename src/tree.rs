//! A process and every process below it, read from `/proc`: what the measurements of a
//! model whose tasks are processes must cover (their memory, their CPU time, the cores they
//! may run on), not the parent alone.

use std::fs;

/// `pid` and every process it started that is still alive, and theirs, parents first. A
/// child belongs to the thread that started it, so every thread's `children` list is read.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let mut next = 0;
    while next < tree.len() {
        let parent = tree[next];
        next += 1;
        tree.extend(children(parent));
    }
    tree
}

/// The live children of `pid`, from each of its threads' `children` list.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| list.split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<u32>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A live child is in its parent's tree, after the parent; once reaped it is gone.
    #[test]
    fn finds_live_children() {
        let me = std::process::id();
        let mut child = std::process::Command::new("sleep").arg("5").spawn().expect("sleep starts");
        let tree = process_tree(me);
        assert_eq!(tree[0], me);
        assert!(tree.contains(&child.id()), "{tree:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!process_tree(me).contains(&child.id()));
    }
}
