//! Monte Carlo throughput and memory: replications per second of the defended Al Asad scenario
//! with one thread and with every core, the parallel efficiency, and the peak resident memory
//! after 1,000 and after 100,000 replications (it must not grow with the runs).
//!
//! `cargo bench -p rampart-sim --bench montecarlo`. Wall-clock figures are advisory on a shared
//! machine. Environment: `RAMPART_BENCH_RUNS` (replications per throughput measurement,
//! default 200; 0 skips it), `RAMPART_BENCH_MEMORY_RUNS` (comma-separated run counts for the memory
//! measurement, default `1000,100000`), `RAMPART_BENCH_MEMORY_SCENARIO` (default
//! `dhahran-1991`: one defended engagement per replication, so 100,000 runs take minutes, not
//! an hour).

use rampart_sim::montecarlo::{McOptions, run_mc};
use rampart_sim::scenario::{Scenario, load};
use std::path::Path;
use std::time::Instant;

fn scenario(stem: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{stem}.toml"));
    load(&path).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// Peak resident set size of this process so far, KiB (`VmHWM` of /proc/self/status).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rate(s: &Scenario, runs: u64, threads: Option<usize>) -> f64 {
    let opts = McOptions {
        runs,
        threads,
        until_ci: None,
        seed: s.seed,
        stop: None,
    };
    let t0 = Instant::now();
    let r = run_mc(s, &opts, |_| {}).expect("replications run");
    assert_eq!(r.runs, runs);
    runs as f64 / t0.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that excludes this bench skips it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args
        .iter()
        .any(|a| !a.starts_with('-') && !"montecarlo".contains(a.as_str()))
    {
        return;
    }
    // Memory first: the peak is a high-water mark over the whole process.
    let stem = env_or("RAMPART_BENCH_MEMORY_SCENARIO", "dhahran-1991");
    let m = scenario(&stem);
    let counts = env_or("RAMPART_BENCH_MEMORY_RUNS", "1000,100000");
    for n in counts.split(',').filter(|n| !n.trim().is_empty()) {
        let n: u64 = n.trim().parse().expect("RAMPART_BENCH_MEMORY_RUNS");
        let t0 = Instant::now();
        let r = rate(&m, n, None);
        println!(
            "montecarlo/{stem}: {n} replications in {:.1} s ({r:.1}/s), peak resident memory {} KiB",
            t0.elapsed().as_secs_f64(),
            peak_rss_kib().map_or("unknown".into(), |k| k.to_string())
        );
    }
    let runs: u64 = env_or("RAMPART_BENCH_RUNS", "200")
        .parse()
        .expect("RAMPART_BENCH_RUNS");
    if runs == 0 {
        return; // memory only
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let s = scenario("al-asad-2020-defended");
    let one = rate(&s, runs, Some(1));
    let all = rate(&s, runs, Some(cores));
    println!("montecarlo/al-asad-2020-defended: {runs} replications");
    println!(
        "  1 thread      {one:8.2} replications/s  ({:.1} ms each)",
        1e3 / one
    );
    println!("  {cores} thread(s)   {all:8.2} replications/s");
    println!(
        "  parallel efficiency {:.2}; 10,000 replications would take {:.0} s on all cores",
        all / (one * cores as f64),
        1e4 / all
    );
}
