//! `rampart mc --shard K/M` and `rampart merge`: a Monte Carlo run in parts that merge to the
//! one-machine run's files, byte for byte.
//!
//! A part is `OUT/part.jsonl`, JSON Lines: first a header (what run it is a part of: the
//! scenario's text and its SHA-256, the seed, N, K, M, Rampart's version), then the record of
//! each of its replications in order (the whole state the statistics are folded from, numbers
//! written so that they read back to the bit), then a closing line with the record count and
//! the SHA-256 of everything above it. The statistics' accumulators are order-dependent
//! floating-point sums, so the merge does not combine partial sums: it folds every record again,
//! in replication order, exactly as one machine does (docs/cluster.md).

use crate::mc::{McArgs, Tables, print_result, progress_bar, write_folder};
use crate::output::OutDir;
use crate::sweep::SweepArgs;
use crate::text::outln;
use crate::{folder, interrupt};
use anyhow::{Context, Result, bail};
use rampart_core::input::read_text_limited;
use rampart_report::ReportKind;
use rampart_sim::montecarlo::sweep::{Axis, SweepError, fold_sweep, run_sweep_range};
use rampart_sim::montecarlo::{McOptions, Replication, fold, run_range_with, shard_range};
use rampart_sim::scenario::Scenario;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The part file's name in its folder.
pub const PART_FILE: &str = "part.jsonl";
const FORMAT: &str = "rampart-mc-part";
/// The largest part file read, bytes.
const MAX_PART_BYTES: u64 = 4 << 30;
/// The most parts a run is split into.
pub const MAX_PARTS: u64 = 100_000;

/// A part's first line: which run it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    format: String,
    version: String,
    /// `mc` or `sweep`.
    kind: String,
    /// A sweep's axes, as `--vary` gave them.
    #[serde(default)]
    axes: Vec<String>,
    /// The grid's points (1 for a Monte Carlo run); the replications are numbered point by
    /// point, `points × runs` in all.
    points: u64,
    /// The scenario file as given to `rampart mc`.
    scenario_file: String,
    /// How the scenario's messages name it (the file, and the `--set`s applied).
    scenario_label: String,
    /// The file name a sweep's grid points are named after.
    grid_file: String,
    /// The scenario's text as read (with the `--set`s applied).
    scenario_text: String,
    scenario_sha256: String,
    seed: u64,
    runs: u64,
    shard: u64,
    shards: u64,
    /// Its replications, numbered across the grid: `first .. first + count`.
    first: u64,
    count: u64,
}

/// A part's last line.
#[derive(Debug, Serialize, Deserialize)]
struct Closing {
    records: u64,
    sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `K/M` with 1 ≤ K ≤ M ≤ [`MAX_PARTS`].
pub fn parse_shard(spec: &str) -> Result<(u64, u64)> {
    let parsed = spec
        .split_once('/')
        .and_then(|(k, m)| Some((k.trim().parse::<u64>().ok()?, m.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, m)) if (1..=m).contains(&k) && m <= MAX_PARTS => Ok((k, m)),
        _ => bail!(
            "--shard `{}`: give K/M, part K of M, with 1 ≤ K ≤ M ≤ {MAX_PARTS} (e.g. 3/8)",
            rampart_core::units::excerpt(spec, 40)
        ),
    }
}

/// How `rampart mc` names the scenario in its messages (see `load_with_sets`).
pub fn scenario_label(path: &Path, sets: &[String]) -> String {
    if sets.is_empty() {
        path.display().to_string()
    } else {
        format!("{} (with {})", path.display(), sets.join(", "))
    }
}

/// What a part is of: the header's fields that `mc` and `sweep` fill alike.
struct PartOf<'a> {
    kind: &'a str,
    scenario: &'a Path,
    sets: &'a [String],
    text: &'a str,
    axes: Vec<String>,
    points: u64,
    runs: u64,
    seed: u64,
    out: Option<&'a PathBuf>,
    until_ci: bool,
}

/// The header of part `spec` of `of`, and its folder.
fn header(of: &PartOf, spec: &str) -> Result<(Header, PathBuf)> {
    let (k, m) = parse_shard(spec)?;
    if of.until_ci {
        bail!(
            "--until-ci decides when to stop from all the replications so far; a part cannot: give --runs alone with --shard"
        );
    }
    let out = of.out.cloned().ok_or_else(|| {
        anyhow::anyhow!("--shard needs --out: the folder of this part (docs/cluster.md)")
    })?;
    let total = of
        .points
        .checked_mul(of.runs)
        .ok_or_else(|| anyhow::anyhow!("too many replications: points × runs overflows"))?;
    let range = shard_range(total, k, m);
    Ok((
        Header {
            format: FORMAT.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: of.kind.into(),
            axes: of.axes.clone(),
            points: of.points,
            scenario_file: of.scenario.display().to_string(),
            scenario_label: scenario_label(of.scenario, of.sets),
            grid_file: of.scenario.display().to_string(),
            scenario_text: of.text.into(),
            scenario_sha256: hex(&Sha256::digest(of.text.as_bytes())),
            seed: of.seed,
            runs: of.runs,
            shard: k,
            shards: m,
            first: range.start,
            count: range.end - range.start,
        },
        out,
    ))
}

/// Writes one part: its header, then each record as `run` hands it over, then the closing line;
/// nothing at all if `run` fails or reports itself interrupted.
fn write_part(
    header: &Header,
    out: &Path,
    run: impl FnOnce(&mut (dyn FnMut(&Replication) -> std::io::Result<()> + Send)) -> Result<bool>,
) -> Result<()> {
    let mut dir = OutDir::create(out)?;
    let file = dir.start(PART_FILE)?;
    let mut w = HashingWriter {
        inner: std::io::BufWriter::new(file),
        hash: Sha256::new(),
    };
    serde_json::to_writer(&mut w, header)?;
    w.write_all(b"\n")?;
    let mut records = 0;
    let interrupted = run(&mut |r: &Replication| {
        crate::finite::check(r, &format!("replication {}", r.replication))
            .map_err(std::io::Error::other)?;
        serde_json::to_writer(&mut w, r)?;
        records += 1;
        w.write_all(b"\n")
    })?;
    let (k, m) = (header.shard, header.shards);
    if interrupted {
        return Err(interrupt::Interrupted(format!(
            "interrupted: part {k} of {m} not written (a part is all its replications or nothing; run it again)"
        ))
        .into());
    }
    let closing = Closing {
        records,
        sha256: hex(&w.hash.clone().finalize()),
    };
    let mut file = w
        .inner
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing {PART_FILE}: {}", e.error()))?;
    serde_json::to_writer(&mut file, &closing)?;
    file.write_all(b"\n")?;
    let path = dir.commit(PART_FILE, file)?;
    outln!(
        "part {k} of {m} — seed {}: replications {}..{} ({records}) written to {}",
        header.seed,
        header.first,
        header.first + header.count,
        path.display()
    );
    Ok(())
}

/// A part's run options: the whole run's, with Ctrl-C stopping it (a part never stops early on a
/// confidence interval: `--until-ci` is refused with `--shard`).
fn part_options(runs: u64, threads: Option<usize>, seed: u64) -> Result<McOptions> {
    Ok(McOptions {
        runs,
        threads,
        until_ci: None,
        seed,
        stop: Some(interrupt::watch()?),
    })
}

/// `rampart mc … --shard K/M`: runs part K and writes `OUT/part.jsonl`.
pub fn run_part(
    args: &McArgs,
    spec: &str,
    (scenario, text): (&Scenario, &str),
    seed: u64,
) -> Result<()> {
    let of = PartOf {
        kind: "mc",
        scenario: &args.scenario,
        sets: &args.set,
        text,
        axes: Vec::new(),
        points: 1,
        runs: args.runs,
        seed,
        out: args.out.as_ref(),
        until_ci: args.until_ci.is_some(),
    };
    let (header, out) = header(&of, spec)?;
    let opts = part_options(args.runs, args.threads, seed)?;
    let bar = progress_bar(header.count);
    let range = header.first..header.first + header.count;
    write_part(&header, &out, |sink| {
        let result = run_range_with(scenario, &opts, range, |n| bar.inc(n), sink)
            .context("running the replications")?;
        bar.finish_and_clear();
        Ok(result.interrupted)
    })
}

/// `rampart sweep … --shard K/M`: runs part K of the grid's replications and writes
/// `OUT/part.jsonl`.
pub fn run_sweep_part(
    args: &SweepArgs,
    spec: &str,
    text: &str,
    axes: &[Axis],
    seed: u64,
) -> Result<()> {
    let of = PartOf {
        kind: "sweep",
        scenario: &args.scenario,
        sets: &args.set,
        text,
        axes: args.vary.clone(),
        points: axes.iter().map(|a| a.values.len() as u64).product(),
        runs: args.runs,
        seed,
        out: args.out.as_ref(),
        until_ci: false,
    };
    let (header, out) = header(&of, spec)?;
    let opts = part_options(args.runs, args.threads, seed)?;
    let bar = progress_bar(header.count);
    let range = header.first..header.first + header.count;
    write_part(&header, &out, |sink| {
        let ran = run_sweep_range(
            text,
            &header.grid_file,
            axes,
            &opts,
            range,
            |n| bar.inc(n),
            |_, r| sink(r),
        );
        bar.finish_and_clear();
        match ran {
            Err(SweepError::Interrupted { .. }) => Ok(true),
            r => r.map(|()| false).map_err(crate::sweep::scenario_error),
        }
    })
}

/// A writer that hashes what goes through it.
struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A part read back and checked.
struct Part {
    path: PathBuf,
    header: Header,
    records: Vec<Replication>,
}

/// Reads and checks one part file: its lines parse, its records are its replications in order,
/// its closing line's count and checksum match.
fn read_part(path: &Path) -> Result<Part> {
    let name = path.display();
    let text =
        read_text_limited(path, MAX_PART_BYTES).with_context(|| format!("reading {name}"))?;
    let first = text.split('\n').next().unwrap_or("");
    let header: Header = serde_json::from_str(first)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| {
            anyhow::anyhow!("{name} is not a part of a Monte Carlo run or sweep (`--shard K/M`)")
        })?;
    check_header(&header).map_err(|why| anyhow::anyhow!("{name}: {why}"))?;
    let body_end = text
        .trim_end_matches('\n')
        .rfind('\n')
        .map(|i| i + 1)
        .filter(|&i| i > first.len())
        .ok_or_else(|| anyhow::anyhow!("{name} is not a complete part: it has no closing line (it was cut short; run the part again)"))?;
    let closing: Closing = serde_json::from_str(text[body_end..].trim_end())
        .map_err(|_| anyhow::anyhow!("{name} is not a complete part: its last line is not the closing line (it was cut short; run the part again)"))?;
    if hex(&Sha256::digest(&text.as_bytes()[..body_end])) != closing.sha256 {
        bail!("{name} is corrupt: its content does not match its checksum (run the part again)");
    }
    let mut records = Vec::new();
    for (i, line) in text[first.len() + 1..body_end].lines().enumerate() {
        let r: Replication = serde_json::from_str(line)
            .with_context(|| format!("{name} line {}: not a replication's record", i + 2))?;
        let want = (header.first + records.len() as u64) % header.runs;
        if r.replication != want || r.seed != header.seed {
            bail!(
                "{name} line {}: replication {} of seed {}, where replication {want} of seed {} should be",
                i + 2,
                r.replication,
                r.seed,
                header.seed
            );
        }
        records.push(r);
    }
    if records.len() as u64 != header.count {
        bail!(
            "{name}: {} records, where part {} of {} has {}",
            records.len(),
            header.shard,
            header.shards,
            header.count
        );
    }
    if closing.records != header.count {
        bail!(
            "{name}: its closing line counts {} records, where it has {}",
            closing.records,
            header.count
        );
    }
    Ok(Part {
        path: path.to_path_buf(),
        header,
        records,
    })
}

/// A header's own consistency: this Rampart's part, of a run it could have made.
fn check_header(h: &Header) -> Result<(), String> {
    let here = env!("CARGO_PKG_VERSION");
    if h.version != here {
        return Err(format!(
            "written by Rampart {}, and this is {here}: merge with the version that ran the parts",
            h.version
        ));
    }
    if !(1..=h.shards).contains(&h.shard) || h.shards > MAX_PARTS || h.runs == 0 || h.points == 0 {
        return Err(format!(
            "part {} of {} of {} × {} replications is not a part a run makes",
            h.shard, h.shards, h.points, h.runs
        ));
    }
    let total = h
        .points
        .checked_mul(h.runs)
        .ok_or("too many replications")?;
    let want = shard_range(total, h.shard, h.shards);
    if (h.first, h.count) != (want.start, want.end - want.start) {
        return Err(format!(
            "its replications are not those of part {} of {}",
            h.shard, h.shards
        ));
    }
    if hex(&Sha256::digest(h.scenario_text.as_bytes())) != h.scenario_sha256 {
        return Err("its scenario text does not match its hash".into());
    }
    if !["mc", "sweep"].contains(&h.kind.as_str()) || (h.kind == "mc") != h.axes.is_empty() {
        return Err(format!("`{}` parts are not known here", h.kind));
    }
    Ok(())
}

/// The part files named by `inputs`: a part file, a part's folder, or a folder of parts'
/// folders (`DIR/parts`).
fn part_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_file() {
            files.push(p.clone());
        } else if p.join(PART_FILE).is_file() {
            files.push(p.join(PART_FILE));
        } else if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path().join(PART_FILE)))
                .filter(|f| f.is_file())
                .collect();
            if found.is_empty() {
                bail!(
                    "{} holds no {PART_FILE}, nor any folder with one",
                    p.display()
                );
            }
            found.sort();
            files.append(&mut found);
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    Ok(files)
}

/// `rampart merge DIR… --out OUT`.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<()> {
    let files = part_files(inputs)?;
    let mut parts: BTreeMap<u64, Part> = BTreeMap::new();
    let mut first: Option<Header> = None;
    for f in files {
        let part = read_part(&f)?;
        let h = &part.header;
        if let Some(f0) = &first {
            let differs = [
                (
                    h.version != f0.version,
                    format!("Rampart version {} against {}", h.version, f0.version),
                ),
                (
                    h.scenario_sha256 != f0.scenario_sha256
                        || h.scenario_label != f0.scenario_label,
                    if h.scenario_label == f0.scenario_label {
                        format!(
                            "the text of the scenario {} differs (SHA-256 {} against {}): was it edited between the parts?",
                            h.scenario_label,
                            &h.scenario_sha256[..12],
                            &f0.scenario_sha256[..12]
                        )
                    } else {
                        format!(
                            "scenario {} against {}",
                            h.scenario_label, f0.scenario_label
                        )
                    },
                ),
                (
                    h.seed != f0.seed,
                    format!("seed {} against {}", h.seed, f0.seed),
                ),
                (
                    h.runs != f0.runs,
                    format!("{} replications against {}", h.runs, f0.runs),
                ),
                (
                    h.shards != f0.shards,
                    format!("{} parts against {}", h.shards, f0.shards),
                ),
                (
                    h.kind != f0.kind || h.axes != f0.axes,
                    format!("{} {:?} against {} {:?}", h.kind, h.axes, f0.kind, f0.axes),
                ),
            ];
            if let Some((_, why)) = differs.iter().find(|(d, _)| *d) {
                bail!(
                    "{} is a part of another run than {}: {why}",
                    part.path.display(),
                    parts
                        .values()
                        .next()
                        .map_or_else(String::new, |p| p.path.display().to_string())
                );
            }
        } else {
            first = Some(h.clone());
        }
        if let Some(other) = parts.get(&h.shard) {
            bail!(
                "part {} of {} is given twice: {} and {}",
                h.shard,
                h.shards,
                other.path.display(),
                part.path.display()
            );
        }
        parts.insert(h.shard, part);
    }
    let Some(h) = first else {
        bail!("no part given");
    };
    let missing_count = h.shards - parts.len() as u64;
    let missing: Vec<String> = (1..=h.shards)
        .filter(|k| !parts.contains_key(k))
        .take(20)
        .map(|k| {
            let r = shard_range(h.points.saturating_mul(h.runs), k, h.shards);
            format!("{k} (replications {}..{})", r.start, r.end)
        })
        .collect();
    if !missing.is_empty() {
        bail!(
            "{missing_count} of {} parts missing: {}{}; run them (`--shard K/{}`) and merge again",
            h.shards,
            missing.join(", "),
            if missing_count > 20 { ", …" } else { "" },
            h.shards
        );
    }
    let scenario = rampart_sim::scenario::parse(&h.scenario_text, &h.scenario_label)
        .map_err(|e| anyhow::anyhow!("the parts' scenario does not load: {}", e.render()))?;
    let records = parts.values().flat_map(|p| p.records.iter());
    if h.kind == "sweep" {
        return merge_sweep(&h, &scenario, records, out);
    }
    let result = fold(&scenario, h.seed, h.runs, records.clone());
    let mut dir = OutDir::create(out)?;
    let earlier = folder::earlier_files(out);
    let mut tables = Tables::start(&dir, &scenario)?;
    for r in records {
        tables.add(r)?;
    }
    let manifest =
        folder::Manifest::new(ReportKind::MonteCarlo, Path::new(&h.scenario_file), h.seed);
    let paths = write_folder(
        &mut dir,
        &manifest,
        (&scenario, &h.scenario_text),
        &result,
        tables,
        &earlier,
    )?;
    outln!("merged {} parts of {} replications\n", h.shards, h.runs);
    print_result(&scenario, &result, None, &paths);
    Ok(())
}

/// The merge of a sweep's parts: every point's records folded again, point by point.
fn merge_sweep<'a>(
    h: &Header,
    scenario: &Scenario,
    records: impl Iterator<Item = &'a Replication>,
    out: &Path,
) -> Result<()> {
    let axes = h
        .axes
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, SweepError>>()?;
    let mut by_point: Vec<Vec<Replication>> = vec![Vec::new(); usize::try_from(h.points)?];
    for (j, r) in records.enumerate() {
        let i = usize::try_from(j as u64 / h.runs.max(1))?;
        by_point
            .get_mut(i)
            .ok_or_else(|| anyhow::anyhow!("more records than the grid's points hold"))?
            .push(r.clone());
    }
    let result = fold_sweep(
        &h.scenario_text,
        &h.grid_file,
        &axes,
        h.seed,
        h.runs,
        &by_point,
    )
    .map_err(crate::sweep::scenario_error)?;
    let manifest = folder::Manifest::new(ReportKind::Sweep, Path::new(&h.scenario_file), h.seed);
    let paths = crate::sweep::write_folder(out, &manifest, (scenario, &h.scenario_text), &result)?;
    outln!(
        "merged {} parts of {} points × {} replications\n",
        h.shards,
        h.points,
        h.runs
    );
    crate::sweep::print_result(&result, &paths);
    Ok(())
}
