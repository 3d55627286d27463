"""Tests of bench.py: every workload on every model at tiny sizes, run through the command
line as the lead's harness runs it, plus the answer checks, the bad arguments, the
"cannot" cases and the three HTTP servers.

    python3 -m unittest python/test_bench.py          (from the repository root)

Each run is a subprocess with a timeout: a hang fails the test instead of stopping it.
BENCH_PYTHON=/path/to/python3.X runs bench.py under another interpreter.
"""

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "bench.py")
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
MODELS = ("asyncio", "threading", "multiprocessing")

sys.path.insert(0, HERE)
import bench as harness  # noqa: E402
from workloads import WrongAnswer, channels, gather, locks, mandelbrot, memory, spawn_join, stall, waits  # noqa: E402


def bench(*args, timeout=90):
    """Runs bench.py; returns (exit code, the JSON line as a dict or None, stderr)."""
    done = subprocess.run([PYTHON, BENCH, *args], capture_output=True, text=True, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    record = json.loads(lines[-1]) if lines else None
    return done.returncode, record, done.stderr


class Workloads(unittest.TestCase):
    """Every workload on every model: exit 0, the JSON shape, and the answer."""

    def run_ok(self, workload, model, *args, repeat=1):
        code, record, stderr = bench(workload, model, "--repeat", str(repeat), "--timeout", "30", *args)
        self.assertEqual(code, 0, f"{workload} {model} {args}: {record and record.get('error')}\n{stderr[-2000:]}")
        self.assertNotIn("error", record)
        self.assertNotIn("cannot", record)
        self.assertEqual(set(record["python"]), {"version", "implementation", "gil", "executable", "libpython"})
        self.assertIsInstance(record["python"]["gil"], bool)
        self.assertEqual((record["workload"], record["model"]), (workload, model))
        self.assertIsInstance(record["params"], dict)
        self.assertEqual(len(record["runs"]), repeat)
        for run in record["runs"]:
            self.assertEqual(set(run), {"elapsed_ns", "answer", "gc"})
            self.assertEqual(len(run["gc"]["collections"]), 3)
            self.assertGreaterEqual(run["gc"]["ns"], 0)
            self.assertIsInstance(run["elapsed_ns"], int)
            self.assertGreater(run["elapsed_ns"], 0)
        return record, [run["answer"] for run in record["runs"]]

    def each_model(self, workload, *args, repeat=1, models=MODELS):
        for model in models:
            with self.subTest(model=model, args=args):
                yield model, self.run_ok(workload, model, *args, repeat=repeat)

    def test_concurrent_waits(self):
        for model, (record, answers) in self.each_model("concurrent_waits", "--n", "20", "--wait-ms", "100", repeat=2):
            for answer in answers:
                self.assertEqual(answer, {"completed": 20, "sum": 190})
            # The waits overlap: far less than the 2 s of 20 waits of 100 ms in a row.
            self.assertLess(min(run["elapsed_ns"] for run in record["runs"]), 1_500_000_000)

    def test_measure_performance(self):
        record, answers = self.run_ok("concurrent_waits", "asyncio", "--variant", "measure_performance", "--n", "100")
        self.assertEqual(answers[0], {"completed": 100, "sum": 4950})
        # One coroutine per sleep: the collector's time is part of the run, never more.
        self.assertLessEqual(record["runs"][0]["gc"]["ns"], record["runs"][0]["elapsed_ns"])

    def test_spawn_join(self):
        for _, (_, answers) in self.each_model("spawn_join", "--n", "30"):
            self.assertEqual(answers[0], {"joined": 30, "sum": spawn_join.expected(30).sum})

    def test_ping_pong(self):
        for _, (_, answers) in self.each_model("ping_pong", "--n", "300"):
            self.assertEqual(answers[0], {"rounds": 300, "token": 600})

    def test_idle_tasks(self):
        for model, (record, answers) in self.each_model("idle_tasks", "--n", "20"):
            self.assertEqual(answers[0], {"requested": 20, "started": 20, "joined": 20, "error": None})
            memory = record["memory"]
            for key in ("rss_bytes", "pss_bytes", "baseline_rss_bytes", "baseline_pss_bytes"):
                self.assertIsInstance(memory[key], int)
                self.assertGreater(memory[key], 0)
            self.assertLessEqual(memory["pss_bytes"], memory["rss_bytes"])
            if model == "multiprocessing":
                # 20 processes: their memory is counted in the tree.
                self.assertGreater(memory["pss_bytes"], memory["baseline_pss_bytes"] + 20 * 100_000)

    def test_gather(self):
        # The Rust test profile: 12 tasks, 25 ms apart, order held to 12 ms.
        sizes = ("--n", "12", "--spread-ms", "300", "--tolerance-ms", "12")
        durations = gather.durations(12, 300_000_000)
        by_duration = [gather.task_value(i) for i in sorted(range(12), key=durations.__getitem__)]
        for _, (_, answers) in self.each_model("gather", "--variant", "gather", *sizes):
            self.assertEqual(answers[0]["values"], [gather.task_value(i) for i in range(12)])
        for model, (_, answers) in self.each_model("gather", "--variant", "as_completed", *sizes):
            if model == "multiprocessing":  # a pool of 2 finishes them in an order of its own
                self.assertEqual(sorted(answers[0]["values"]), sorted(by_duration))
            else:
                self.assertEqual(answers[0]["values"], by_duration)

    def test_cancellation(self):
        for model, (_, answers) in self.each_model("cancellation", "--n", "5"):
            answer = answers[0]
            self.assertEqual((answer["trials"], answer["joined"], answer["live_after"]), (5, 5, 0))
            self.assertEqual(len(answer["latencies_ns"]), 5)
            self.assertTrue(all(isinstance(x, int) and 0 <= x < 10**9 for x in answer["latencies_ns"]))
            self.assertTrue(answer["mechanism"])

    def test_timeouts(self):
        for _, (_, answers) in self.each_model("timeouts", "--n", "8", "--deadline-ms", "20", "--work-ms", "300"):
            answer = answers[0]
            self.assertEqual(
                (answer["ops"], answer["timed_out"], answer["finished_work"], answer["live_after"]), (8, 8, 0, 0))
            self.assertEqual(len(answer["lateness_ns"]), 8)

    def test_locked_counter(self):
        for section in locks.VARIANTS:
            for _, (_, answers) in self.each_model("locked_counter", "--variant", section, "--n", "4",
                                                   "--increments", "402"):
                self.assertEqual(answers[0]["count"], 4 * 100)  # 402 spread over 4: 100 each
                self.assertEqual(len(answers[0]["longest_waits_ns"]), 4)

    def test_semaphore(self):
        for _, (_, answers) in self.each_model("semaphore", "--n", "16", "--permits", "4", "--wait-ms", "30"):
            self.assertEqual(answers[0], {"jobs": 16, "most_at_once": 4, "inside_after": 0})
        for _, (_, answers) in self.each_model("semaphore", "--variant", "permit_churn", "--n", "6",
                                               "--permits", "2", "--rounds", "50"):
            self.assertEqual(answers[0]["pairs"], 300)
            self.assertLessEqual(answers[0]["most_at_once"], 2)

    def test_channels(self):
        for variant, n, messages in (("mpmc_64", 4, 1000), ("spsc_1", 1, 300), ("mpsc_unbounded", 3, 1001)):
            for _, (record, answers) in self.each_model("channels", "--variant", variant, "--n", str(n),
                                                        "--messages", str(messages)):
                self.assertEqual(answers[0], {"received": messages, "sum": messages * (messages - 1) // 2})

    def test_mandelbrot(self):
        # The Rust checksum of `Mandelbrot::with_size(32, 100).expected()`.
        rust = 12241379544442595308
        size = ("--width", "32", "--height", "32", "--iterations", "100")
        for model, ways in mandelbrot.VARIANTS.items():
            for way in ways:
                with self.subTest(model=model, way=way):
                    _, answers = self.run_ok("mandelbrot", model, "--variant", way, *size)
                    self.assertEqual(answers[0], {"checksum": rust})

    def test_blocking_stall(self):
        sizes = ("--ticks", "20", "--block-ms", "10", "--calls", "2", "--workers", "2")
        for variant in stall.VARIANTS:
            models = MODELS if variant.startswith("inline") else ("asyncio",)
            for model, (record, answers) in self.each_model("blocking_stall", "--variant", variant, *sizes,
                                                            models=models):
                answer = answers[0]
                blockers = 1 if model == "asyncio" else 2
                self.assertEqual((len(answer["heartbeat_ns"]), len(answer["requests_ns"]), answer["calls"]),
                                 (20, 20, blockers * 2))
        _, answers = self.run_ok("blocking_stall", "asyncio", "--variant", "offloaded_cpu", "--executor", "thread",
                                 *sizes)
        self.assertEqual(answers[0]["calls"], 2)


class Contract(unittest.TestCase):
    """The command line: the list, the refusals, and a wrong answer's exit."""

    def test_list_names_every_pair(self):
        done = subprocess.run([PYTHON, BENCH, "--list"], capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0)
        pairs = done.stdout.split()
        self.assertEqual(len(pairs), 13 * 3)
        self.assertIn("concurrent_waits/asyncio", pairs)
        self.assertIn("http_server/multiprocessing", pairs)

    def test_as_completed_names_gathers_variant(self):
        code, record, _ = bench("as_completed", "asyncio", "--n", "3", "--spread-ms", "3", timeout=30)
        self.assertEqual(code, 0)
        self.assertEqual((record["workload"], record["params"]["variant"]), ("gather", "as_completed"))

    def test_bad_arguments_exit_2_with_one_line(self):
        for args in (
            ("nope", "asyncio"),
            ("spawn_join", "greenlets"),
            ("spawn_join", "asyncio", "--n", "zero"),
            ("spawn_join", "asyncio", "--n", "0"),
            ("spawn_join", "asyncio", "--wait-ms", "5"),
            ("channels", "threading", "--variant", "spsc_1", "--n", "3"),
            ("gather", "asyncio", "--variant", "sideways"),
            ("spawn_join", "asyncio", "--n"),
            ("spawn_join",),
        ):
            with self.subTest(args=args):
                code, record, stderr = bench(*args, timeout=30)
                self.assertEqual(code, 2)
                self.assertIsNone(record)
                self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)

    def test_cannot_exits_0_with_the_reason(self):
        for args in (
            ("concurrent_waits", "threading", "--variant", "measure_performance"),
            ("blocking_stall", "multiprocessing", "--variant", "offloaded_cpu"),
            ("mandelbrot", "asyncio", "--variant", "work_queue"),
        ):
            with self.subTest(args=args):
                code, record, _ = bench(*args, timeout=30)
                self.assertEqual(code, 0)
                self.assertTrue(record["cannot"])
                self.assertNotIn("runs", record)

    def test_a_wrong_answer_exits_1_with_the_error(self):
        # A model that loses one task: bench.py's own check must catch it.
        script = (
            "import sys, bench\n"
            "from model_threading import Threading\n"
            "from workloads.waits import WaitOutcome\n"
            "Threading.concurrent_waits = lambda self, n, wait, variant: WaitOutcome(n - 1, 0)\n"
            "sys.exit(bench.main(['concurrent_waits', 'threading', '--n', '5', '--wait-ms', '1']))\n"
        )
        done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=30, cwd=HERE)
        self.assertEqual(done.returncode, 1)
        record = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertIn("wrong answer", record["error"])
        self.assertEqual(record["runs"][0]["answer"], {"completed": 4, "sum": 0})


class Checks(unittest.TestCase):
    """The expected answers are the Rust ones, and the checks catch what they must."""

    def test_inputs_match_the_rust_generator(self):
        from workloads import rng

        # Values printed by the Rust workloads crate (rng::input, spawn_join::expected).
        self.assertEqual(rng.mix(0), 0xE220_A839_7B1D_CDAF)
        self.assertEqual(rng.input(0), 4293636141702680277)
        self.assertEqual(rng.input(7), 1413109524061639071)
        self.assertEqual(spawn_join.expected(1000).sum, 16719140944397566684)
        self.assertEqual(gather.durations(5, 50_000_000), [10_000_000, 20_000_000, 50_000_000, 40_000_000, 30_000_000])
        self.assertEqual(gather.durations(7, 10_000_000)[:3], [1428571, 2857142, 10000000])

    def test_mandelbrot_matches_the_rust_checksums(self):
        for (side, iterations), rust in {(16, 64): 14694800476603125456, (33, 77): 9240240884281139735}.items():
            self.assertEqual(mandelbrot.Mandelbrot(side, side, iterations).expected(), rust)

    def test_checks_refuse_wrong_answers(self):
        with self.assertRaises(WrongAnswer):
            waits.check(3, waits.WaitOutcome(completed=3, sum=4))
        with self.assertRaises(WrongAnswer):
            channels.check(10, channels.ChannelOutcome(received=9, sum=45))
        with self.assertRaises(WrongAnswer):
            locks.check(2, 5, locks.LockOutcome(count=9, longest_waits_ns=[0, 0]))
        durations = gather.durations(5, 50_000_000)
        in_order = gather.GatherOutcome([gather.task_value(i) for i in range(5)])
        gather.check_gather(5, in_order)
        gather.check_as_completed(durations, in_order)  # any order, each once
        with self.assertRaises(WrongAnswer):
            gather.check_as_completed(durations, in_order, tolerance_ns=5_000_000)
        with self.assertRaises(WrongAnswer):
            gather.check_as_completed(durations, gather.GatherOutcome(in_order.values[1:]))

    def test_http_steps_match_the_rust_server(self):
        from workloads import http

        hello = http.step(b"GET /?name=Alice%20B+C HTTP/1.1\r\n\r\n")
        self.assertEqual(hello.consumed, 35)
        self.assertTrue(hello.response.endswith(b"Content-Length: 17\r\n\r\nHello, Alice B C!"))
        self.assertIs(http.step(b"GET / HTT"), http.INCOMPLETE)
        self.assertEqual(http.step(b"GET /slow HTTP/1.1\r\n\r\n").wait, 1.0)
        self.assertTrue(http.step(b"GET / HTTP/1.0\r\n\r\n").close)
        statuses = {
            b"GET /nope HTTP/1.1\r\n\r\n": 404,
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc": 405,
            b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc": 400,
            b"GARBAGE\r\n\r\n": 400,
            b"GET /slow?delay=60001 HTTP/1.1\r\n\r\n": 400,
            ("GET / HTTP/1.1\r\n" + "".join(f"X-{i}: y\r\n" for i in range(40)) + "\r\n").encode(): 431,
        }
        for request, status in statuses.items():
            step = http.step(request)
            response = step.response
            self.assertEqual(int(response[9:12]), status, request)


class Servers(unittest.TestCase):
    """The three HTTP servers: the endpoints, keep-alive, and a clean exit on SIGTERM."""

    def test_each_model_serves_and_stops(self):
        for model in MODELS:
            with self.subTest(model=model):
                self.serve_and_stop(model)

    def serve_and_stop(self, model):
        server = subprocess.Popen([PYTHON, BENCH, "http_server", model, "--port", "0", "--workers", "2"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            first = server.stdout.readline().strip()
            self.assertRegex(first, r"^listening on 127\.0\.0\.1:\d+$")
            port = int(first.rsplit(":", 1)[1])
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                reader = conn.makefile("rb")
                # Two requests pipelined on one kept-alive connection, then two more.
                conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /?name=Alice HTTP/1.1\r\n\r\n")
                self.assertEqual(read_response(reader), (200, b"Hello, World!"))
                self.assertEqual(read_response(reader), (200, b"Hello, Alice!"))
                conn.sendall(b"GET /slow?delay=30 HTTP/1.1\r\n\r\n")
                self.assertEqual(read_response(reader), (200, b"Processed after 30 ms"))
                conn.sendall(b"GET /missing HTTP/1.1\r\n\r\n")
                self.assertEqual(read_response(reader), (404, b"Not Found"))
                # A request in flight when the signal comes is answered before the exit.
                conn.sendall(b"GET /slow?delay=300 HTTP/1.1\r\n\r\n")
                time.sleep(0.1)
                server.send_signal(signal.SIGTERM)
                self.assertEqual(read_response(reader), (200, b"Processed after 300 ms"))
            out, _ = server.communicate(timeout=30)
            self.assertEqual(server.returncode, 0)
            served = json.loads(out.strip().splitlines()[-1])["served"]
            self.assertEqual(served["requests"], 5)
            self.assertEqual(served["open"], 0)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


class ProcessTree(unittest.TestCase):
    """The memory of a process tree covers every process below it, grandchildren too."""

    def test_children_and_grandchildren_are_found_and_counted(self):
        # A shell that starts two sleeps and waits for them (the `; true` keeps the shell
        # from replacing itself with the last one).
        child = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30; true"])
        below = []
        try:
            deadline = time.monotonic() + 10
            while len(memory.descendants(os.getpid())) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            below = memory.descendants(os.getpid())
            # The child first, then its two sleeps.
            self.assertEqual(below[0], child.pid, below)
            self.assertEqual(len(below), 3, below)
            # The kernel's lists and the scan of /proc agree on who is whose.
            parents = memory._parents()
            self.assertEqual(parents[below[1]], child.pid)
            self.assertEqual(parents[below[2]], child.pid)
            alone = memory.tree_memory(below[1])
            whole = memory.tree_memory()
            # Every member adds its own resident pages: the tree holds more than itself
            # and more than any one member.
            mine = memory._field(f"/proc/{os.getpid()}/status", "VmRSS")
            self.assertGreater(whole[0], mine + alone[0])
        finally:
            for pid in below[1:]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            child.kill()
            child.wait()
        # Once reaped, the child is gone from the tree.
        self.assertNotIn(child.pid, memory.descendants(os.getpid()))


def read_response(reader):
    """(status, body) of one response read from a keep-alive connection."""
    status = int(reader.readline().split()[1])
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return status, reader.read(length)


if __name__ == "__main__":
    unittest.main()


class GarbageCollector(unittest.TestCase):
    """bench.GcClock: the collector's time and collections within its block, and only there."""

    def test_counts_the_collections_inside_its_block(self):
        with harness.GcClock() as clock:
            # Reference cycles only the cyclic collector frees, then a full collection.
            cycles = [[] for _ in range(1000)]
            for cycle in cycles:
                cycle.append(cycle)
            del cycles
            gc.collect()
        self.assertGreaterEqual(clock.record()["collections"][2], 1)
        self.assertGreater(clock.record()["ns"], 0)
        seen = clock.record()
        gc.collect()  # outside the block: not counted
        self.assertEqual(clock.record(), seen)
