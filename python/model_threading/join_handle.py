"""Not a workload: a thread whose function's return value comes back through its join, as
Rust's `thread::spawn` gives a `JoinHandle<T>`. Python's `threading.Thread` drops the value,
so every model module here starts its threads through `spawn`."""

import threading

import workloads


class JoinHandle:
    """A started thread and what its function returned (or raised)."""

    def __init__(self, target, args, name=None):
        self._value = None
        self._error = None
        name = name or getattr(target, "__name__", None)
        self._thread = threading.Thread(target=self._run, args=(target, args), name=name, daemon=True)
        # Raises RuntimeError("can't start new thread") when the OS refuses one.
        self._thread.start()

    def _run(self, target, args):
        try:
            self._value = target(*args)
        except BaseException as error:  # handed to whoever joins, as a Rust panic would be
            self._error = error

    def join(self, timeout=None):
        """Waits for the thread (at most `timeout`, workloads.TIMEOUT by default) and returns
        what its function returned; re-raises what it raised."""
        self._thread.join(workloads.TIMEOUT if timeout is None else timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"thread {self._thread.name} still running after its timeout")
        if self._error is not None:
            raise self._error
        return self._value


def spawn(target, *args, name=None):
    """Starts a thread running target(*args); its join returns the result."""
    return JoinHandle(target, args, name)


def spawn_all(count, target, *args):
    """Starts `count` threads running target(i, *args) for i in 0..count. If the OS refuses
    one, joins those already started, then raises: no thread is left running behind an error
    (what Rust's scoped threads guarantee)."""
    handles = []
    try:
        for i in range(count):
            handles.append(spawn(target, i, *args))
    except RuntimeError:
        for handle in handles:
            try:
                handle.join()
            except BaseException:
                pass
        raise
    return handles
