//! 3: client overhead per request against the local ARM endpoint over https on loopback: the
//! generated client, the floor (raw `reqwest` + `serde_json::Value`), and the Python and JS SDKs,
//! each in its own process, each reporting its own CPU time over the timed loop only. The
//! endpoint runs in another process (`arm-bench serve`) and counts the requests each client
//! sent.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::Settings;
use super::peers::{self, Peer};
use super::report::{Report, count, median, micros, ratio};
use super::runner::{Bench, last_json_line, number, run_json};

/// The subscription the endpoint's accounts are in (as in `arm_benches::names`).
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-00000000be1c";

/// One client under test.
enum Client {
    /// `arm-bench client --impl ours|floor|bytes`.
    Bench(&'static str),
    /// A peer SDK.
    Peer(Peer),
}

impl Client {
    fn label(&self) -> String {
        match self {
            Self::Bench("floor") => "floor: raw reqwest + serde_json::Value".to_owned(),
            Self::Bench("bytes") => {
                "bytes-only floor: raw reqwest, bodies read, not decoded".to_owned()
            }
            Self::Bench(_) => "ours: azrm-cosmosdb".to_owned(),
            Self::Peer(peer) => peer.label(),
        }
    }

    fn command(&self, bench: &Bench, run: &Run<'_>) -> Command {
        let iterations = run.iterations.to_string();
        let warmup = run.warmup.to_string();
        let mut command = match self {
            Self::Bench(implementation) => {
                let mut command = Command::new(bench.exe());
                command.args(["client", "--impl", implementation, "--ca-file"]);
                command.arg(run.ca_file);
                command
            }
            Self::Peer(peer) => peer.command(run.ca_file),
        };
        command
            .args(["--url", run.url, "--subscription", SUBSCRIPTION])
            .args(["--scenario", run.scenario, "--iterations", &iterations])
            .args(["--warmup", &warmup])
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost");
        command
    }
}

/// One timed loop's parameters.
struct Run<'a> {
    url: &'a str,
    ca_file: &'a Path,
    scenario: &'a str,
    iterations: usize,
    warmup: usize,
}

/// What a client's timed loop measured.
#[derive(Debug, Clone, Copy)]
struct Measured {
    cpu_per_op: f64,
    requests_per_op: f64,
    requests_per_second: f64,
    items_per_op: f64,
}

/// Measures and adds the rows of part 3. `--quick` runs only ours and the floor, briefly.
pub fn client(bench: &Bench, root: &Path, settings: &Settings, report: &mut Report) -> Result<()> {
    let dir = settings.target_dir.join("bench/client");
    std::fs::create_dir_all(&dir)?;
    let ca_file = dir.join("local-arm-ca.pem");
    let mut server = Server::start(bench, &ca_file)?;
    let url = server.url.clone();
    // The floor first (every ratio is to it), then the bytes-only floor (ours is compared with
    // it too) and ours.
    let mut clients = vec![
        Client::Bench("floor"),
        Client::Bench("bytes"),
        Client::Bench("ours"),
    ];
    if settings.quick {
        report.note("Client overhead: the Python and JS SDKs are skipped (--quick).");
    } else {
        let peers_dir = settings.target_dir.join("bench/peers");
        for peer in [peers::python(root, &peers_dir), peers::js(root, &peers_dir)] {
            match peer {
                Ok(peer) => clients.push(Client::Peer(peer)),
                Err(error) => report.note(format!("{error:#}")),
            }
        }
    }
    let scenarios = [
        ("get", "GET database account", settings.get),
        ("list", "list 1000 accounts, 10 pages of 100", settings.list),
        (
            "lro",
            "create SQL database, long-running, 3 polls",
            settings.lro,
        ),
    ];
    for (scenario, title, (iterations, warmup)) in scenarios {
        let run = Run {
            url: &url,
            ca_file: &ca_file,
            scenario,
            iterations,
            warmup,
        };
        // Rounds of every client in turn, starting with another client each round, so that a
        // noisy neighbour hits them alike; each figure is a median over the rounds.
        let mut samples: Vec<Vec<Measured>> = clients.iter().map(|_| Vec::new()).collect();
        let mut errors: Vec<Option<String>> = clients.iter().map(|_| None).collect();
        for round in 0..settings.rounds {
            for offset in 0..clients.len() {
                let index = (round + offset) % clients.len();
                if errors[index].is_some() {
                    continue;
                }
                match measure(bench, &clients[index], &run, &mut server) {
                    Ok(measured) => samples[index].push(measured),
                    Err(error) => errors[index] = Some(format!("{error:#}")),
                }
            }
        }
        // `clients[0]` is the floor.
        let floor = samples[0].clone();
        for (index, client) in clients.iter().enumerate() {
            let label = client.label();
            if let Some(error) = &errors[index] {
                report.row(3, format!("{title}: {label}"), "failed", "-", "-", "");
                report.note(format!("{label} / {scenario}: {error}"));
                continue;
            }
            let own = &samples[index];
            let pick =
                |field: fn(&Measured) -> f64| median(&own.iter().map(field).collect::<Vec<_>>());
            let cpu = pick(|measured| measured.cpu_per_op);
            let items = pick(|measured| measured.items_per_op);
            if items.round() as usize != expected_items(scenario) {
                report.note(format!(
                    "{label} / {scenario}: {items} items per operation, {} expected",
                    expected_items(scenario)
                ));
            }
            let title = format!(
                "{title} ({:.0} req/op, {iterations} ops x {} rounds): {label}",
                pick(|measured| measured.requests_per_op),
                own.len()
            );
            let value = format!(
                "{} CPU/op, {} req/s",
                micros(cpu),
                count(pick(|measured| measured.requests_per_second).round() as u64)
            );
            if index == 0 {
                report.row(3, title, value, "-", "1.00x", "");
                continue;
            }
            // The median of the per-round ratios: each pairs two loops run back to back.
            let ratios: Vec<f64> = own
                .iter()
                .zip(&floor)
                .map(|(own, floor)| own.cpu_per_op / floor.cpu_per_op.max(f64::MIN_POSITIVE))
                .collect();
            if ratios.is_empty() {
                report.row(3, title, value, "floor failed", "-", "");
                continue;
            }
            let ratio = median(&ratios);
            let target = match client {
                Client::Bench("ours") => settings.verdict("<= 1.25x", ratio <= 1.25),
                Client::Bench(_) | Client::Peer(_) => String::new(),
            };
            let floor_cpu = median(
                &floor
                    .iter()
                    .map(|measured| measured.cpu_per_op)
                    .collect::<Vec<_>>(),
            );
            report.row(
                3,
                title.clone(),
                value,
                format!("{} CPU/op (floor)", micros(floor_cpu)),
                format!("{ratio:.2}x"),
                target,
            );
            if matches!(client, Client::Bench("ours")) {
                bytes_only_row(report, &title, own, &samples[1]);
            }
        }
    }
    if !settings.quick {
        instructions(bench, &url, &ca_file, &dir, report);
    }
    report.note(
        "Client overhead: each client is its own process on loopback https against one \
         `arm-bench serve` process (pages of 100, 2 `InProgress` polls then `Succeeded`, \
         `Retry-After: 0`); CPU is the client process's user + system time (all threads) over \
         the timed loop only (getrusage, Python `time.process_time`, Node `process.cpuUsage`); \
         req/s counts HTTP requests (the endpoint's own count) over the loop's wall time, one \
         request at a time; Rust clients run on a current-thread Tokio runtime. Each figure is \
         the median of the rounds (every client once per round, in rotating order); the ratio \
         is the median of the per-round ratios to the floor.",
    );
    Ok(())
}

/// The row of ours against the bytes-only floor: the median of the per-round ratios of CPU
/// time per operation.
fn bytes_only_row(report: &mut Report, title: &str, ours: &[Measured], bytes: &[Measured]) {
    let ratios: Vec<f64> = ours
        .iter()
        .zip(bytes)
        .map(|(own, bytes)| own.cpu_per_op / bytes.cpu_per_op.max(f64::MIN_POSITIVE))
        .collect();
    if ratios.is_empty() {
        return;
    }
    let cpu = median(&bytes.iter().map(|m| m.cpu_per_op).collect::<Vec<_>>());
    report.row(
        3,
        format!("{title}, against the bytes-only floor"),
        "",
        format!("{} CPU/op (bytes-only floor)", micros(cpu)),
        format!("{:.2}x", median(&ratios)),
        "",
    );
}

/// Instructions per operation of ours and of the floor under callgrind, which counts the same
/// for the same binary and inputs however busy the machine is (the CPU times above are not):
/// the difference between a long and a short loop, over the difference in operations. Skipped
/// when valgrind is missing.
fn instructions(bench: &Bench, url: &str, ca_file: &Path, dir: &Path, report: &mut Report) {
    let has_valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_valgrind {
        report.note("Client instructions: valgrind is missing, so they are not counted.");
        return;
    }
    let scenarios = [
        ("get", "GET database account", 100, 600),
        ("list", "list 1000 accounts", 1, 4),
        ("lro", "create SQL database, long-running", 20, 120),
    ];
    for (scenario, title, short, long) in scenarios {
        let mut per_op = Vec::new();
        for implementation in ["floor", "bytes", "ours"] {
            let count = |iterations: usize| -> Result<u64> {
                let output = Command::new("valgrind")
                    .arg("--tool=callgrind")
                    .arg(format!(
                        "--callgrind-out-file={}",
                        dir.join("callgrind.out").display()
                    ))
                    .arg(bench.exe())
                    .args(["client", "--impl", implementation, "--ca-file"])
                    .arg(ca_file)
                    .args(["--url", url, "--scenario", scenario, "--warmup", "1"])
                    .args(["--iterations", &iterations.to_string()])
                    .stdin(Stdio::null())
                    .output()
                    .context("running valgrind")?;
                let stderr = String::from_utf8_lossy(&output.stderr);
                if !output.status.success() {
                    bail!("valgrind failed: {}", stderr.trim());
                }
                stderr
                    .lines()
                    .find_map(|line| line.split_once("Collected :").map(|(_, n)| n.trim()))
                    .and_then(|n| n.parse().ok())
                    .context("valgrind printed no instruction count")
            };
            match count(short).and_then(|few| Ok((few, count(long)?))) {
                Ok((few, many)) => {
                    per_op.push(many.saturating_sub(few) as f64 / (long - short) as f64);
                }
                Err(error) => {
                    report.note(format!(
                        "Client instructions, {implementation} / {scenario}: {error:#}"
                    ));
                    return;
                }
            }
        }
        let (floor, bytes, ours) = (per_op[0], per_op[1], per_op[2]);
        for (baseline, name) in [(floor, "floor"), (bytes, "bytes-only floor")] {
            report.row(
                3,
                format!("{title}: instructions per op, ours (callgrind, deterministic)"),
                format!("{} instr/op", count(ours.round() as u64)),
                format!("{} instr/op ({name})", count(baseline.round() as u64)),
                ratio(ours, baseline),
                "",
            );
        }
    }
}

/// Items each operation of `scenario` returns.
fn expected_items(scenario: &str) -> usize {
    if scenario == "list" { 1000 } else { 1 }
}

/// Runs one client's loop and the endpoint's request count around it.
fn measure(bench: &Bench, client: &Client, run: &Run<'_>, server: &mut Server) -> Result<Measured> {
    let before = server.requests()?;
    let json = run_json(client.command(bench, run))?;
    let after = server.requests()?;
    let operations = number(&json, "operations")?.max(1.0);
    let all = (run.iterations + run.warmup).max(1) as f64;
    let requests_per_op = after.saturating_sub(before) as f64 / all;
    let wall = number(&json, "wall_s")?;
    Ok(Measured {
        cpu_per_op: number(&json, "cpu_s")? / operations,
        requests_per_op,
        requests_per_second: requests_per_op * operations / wall.max(f64::MIN_POSITIVE),
        items_per_op: number(&json, "items")? / operations,
    })
}

/// The `arm-bench serve` process.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    url: String,
}

impl Server {
    /// Starts the endpoint and waits until its accounts are stored.
    fn start(bench: &Bench, ca_file: &Path) -> Result<Self> {
        let mut child = Command::new(bench.exe())
            .arg("serve")
            .arg("--ca-file")
            .arg(ca_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting arm-bench serve")?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().context("no stdout")?);
        let mut server = Self {
            child,
            stdin,
            stdout,
            url: String::new(),
        };
        let ready = server.line().context("waiting for arm-bench serve")?;
        server.url = ready["https_url"]
            .as_str()
            .context("arm-bench serve printed no URL")?
            .to_owned();
        Ok(server)
    }

    /// The number of requests served so far.
    fn requests(&mut self) -> Result<u64> {
        let stdin = self.stdin.as_mut().context("the endpoint is stopped")?;
        writeln!(stdin, "requests")?;
        stdin.flush()?;
        self.line()?["requests"]
            .as_u64()
            .context("arm-bench serve did not count")
    }

    fn line(&mut self) -> Result<Value> {
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            bail!("arm-bench serve exited");
        }
        last_json_line(&line)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The end of its standard input stops it; kill it if it does not stop soon.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
