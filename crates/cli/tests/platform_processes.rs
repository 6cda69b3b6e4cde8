//! Issue 4's process-level checks: real `zuji serve` and `zuji worker` processes, killed
//! with SIGKILL at awkward moments.
//!
//! - `thousand_jobs_two_servers_two_workers_one_killed`: two servers (no in-process
//!   workers) and two worker processes on one PostgreSQL database run 1,000 queued
//!   calculations; one worker is killed mid-run. Every job runs exactly once (one
//!   footprint per job, each with the worked example's hand-computed total), none is
//!   lost, none fails.
//! - `killed_during_import_leaves_nothing_half_written`: a SQLite platform is killed in
//!   the middle of a large import; on restart the file is consistent, the database is
//!   absent or complete, and the retried job imports it exactly once.
//!
//! PostgreSQL must answer at 127.0.0.1:5432 (user postgres, trust auth, database
//! `test`); the test fails when it does not — it never skips. HTTP is spoken by hand
//! (blocking HTTP/1.1, `Connection: close`) to keep the test free of client crates.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ZUJI: &str = env!("CARGO_BIN_EXE_zuji");
const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD: &str = "correct horse battery staple";
/// docs/product-model.md, "A complete worked example", step 5, by hand:
/// 2.0441 + 0.31025 + 0.05 + 0.050088.
const WORKED_EXAMPLE_TOTAL: f64 = 2.454438;

// ---------------------------------------------------------------------------------
// Processes

/// Every process the test started, killed (SIGKILL) and reaped when the test ends,
/// however it ends; then the PostgreSQL database it created is dropped.
struct Platform {
    children: Vec<(String, Child)>,
    logs: PathBuf,
    pg_database: Option<String>,
    _dir: tempfile::TempDir,
}

impl Platform {
    fn new() -> Platform {
        let dir = tempfile::tempdir().expect("temp dir");
        Platform {
            logs: dir.path().to_path_buf(),
            children: Vec::new(),
            pg_database: None,
            _dir: dir,
        }
    }

    fn dir(&self) -> &Path {
        &self.logs
    }

    /// Starts `zuji ARGS` with stdout and stderr in log files.
    fn spawn(&mut self, name: &str, args: &[&str]) -> u32 {
        let out = std::fs::File::create(self.logs.join(format!("{name}.out"))).unwrap();
        let err = std::fs::File::create(self.logs.join(format!("{name}.err"))).unwrap();
        let child = Command::new(ZUJI)
            .args(args)
            .env("RUST_LOG", "warn,zuji_server::worker=info")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {ZUJI} {args:?}: {e}"));
        let pid = child.id();
        self.children.push((name.to_string(), child));
        pid
    }

    /// SIGKILLs one process and reaps it.
    fn kill(&mut self, name: &str) {
        let i = self
            .children
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no process {name}"));
        let (_, mut child) = self.children.remove(i);
        sigkill(&mut child);
    }

    /// The end of a process's stderr, for failure messages.
    fn log_tail(&self, name: &str) -> String {
        let text =
            std::fs::read_to_string(self.logs.join(format!("{name}.err"))).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Panics (with the process's log) if it has exited.
    fn assert_alive(&mut self, name: &str) {
        let status = {
            let (_, child) = self.children.iter_mut().find(|(n, _)| n == name).unwrap();
            child.try_wait().unwrap()
        };
        if let Some(status) = status {
            panic!(
                "{name} exited ({status}); its log ends:\n{}",
                self.log_tail(name)
            );
        }
    }

    /// Waits until `base/readyz` answers 200.
    fn wait_ready(&mut self, name: &str, base: &str) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(r) = try_http(base, "GET", "/readyz", None, &[], b"")
                && r.status == 200
            {
                return;
            }
            self.assert_alive(name);
            assert!(
                Instant::now() < deadline,
                "{name} at {base} was not ready within 90 s; its log ends:\n{}",
                self.log_tail(name)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            sigkill(child);
        }
        if let Some(db) = &self.pg_database {
            // Connections of killed processes are gone; FORCE ends any stragglers.
            let _ = psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        }
    }
}

fn sigkill(child: &mut Child) {
    if child.try_wait().ok().flatten().is_none() {
        // SAFETY: kill(2) on a child we spawned and have not yet reaped.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGKILL);
        }
    }
    let _ = child.wait();
}

/// `zuji admin --database URL|--data-dir D ARGS`, with `stdin` piped in; its stdout.
fn admin(store: &[&str], args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(ZUJI)
        .arg("admin")
        .args(store)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting zuji admin");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "zuji admin {store:?} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs one statement on the `test` database as postgres.
fn psql(sql: &str) -> Result<String, String> {
    psql_on("test", sql)
}

/// Runs one statement on a database as postgres.
fn psql_on(db: &str, sql: &str) -> Result<String, String> {
    let out = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            "5432",
            "-U",
            "postgres",
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-Atc",
            sql,
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("running psql: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------
// HTTP

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One blocking HTTP/1.1 request on a new connection.
fn try_http(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or_else(|| bad("bad chunk"))?;
            let size_text = String::from_utf8_lossy(&rest[..nl]);
            let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
                .map_err(|_| bad("bad chunk size"))?;
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// A request that must get an answer; waits out rate limiting (429 + Retry-After).
fn http(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    loop {
        let r = try_http(base, method, path, token, headers, body)
            .unwrap_or_else(|e| panic!("{method} {base}{path}: {e}"));
        if r.status != 429 {
            return r;
        }
        let wait: u64 = r
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        std::thread::sleep(Duration::from_millis(wait.clamp(1, 5) * 200));
    }
}

fn get_json(base: &str, path: &str, token: &str) -> Value {
    let r = http(base, "GET", path, Some(token), &[], b"");
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    r.json()
}

fn login(base: &str, email: &str) -> String {
    let body = serde_json::json!({"email": email, "password": PASSWORD}).to_string();
    let r = http(
        base,
        "POST",
        "/api/v1/auth/login",
        None,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "login: {}", r.text());
    r.json()["token"].as_str().expect("token").to_string()
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

// ---------------------------------------------------------------------------------
// 1. Two servers, two workers, 1,000 jobs, one worker killed

#[test]
fn thousand_jobs_two_servers_two_workers_one_killed() {
    const JOBS: usize = 1000;
    let started = Instant::now();
    if let Err(e) = psql("SELECT 1") {
        panic!(
            "PostgreSQL is not reachable at {PG_ADMIN_URL} (this test needs it; start it, e.g. `service postgresql start`): {e}"
        );
    }
    let mut p = Platform::new();
    let db = format!("zuji_proc_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).unwrap();
    psql(&format!("CREATE DATABASE {db}")).unwrap_or_else(|e| panic!("CREATE DATABASE {db}: {e}"));
    p.pg_database = Some(db.clone());
    let url = format!("postgres://postgres@127.0.0.1:5432/{db}");
    let store = ["--database", url.as_str()];

    // Accounts first (this also applies the migrations).
    admin(
        &store,
        &["create-org", "Bracket Works", "--kind", "enterprise"],
        "",
    );
    admin(
        &store,
        &[
            "create-user",
            "ops@bracket.example",
            "--org",
            "Bracket Works",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );

    let mut bases = Vec::new();
    for name in ["server-a", "server-b"] {
        let listen = format!("127.0.0.1:{}", free_port());
        p.spawn(
            name,
            &[
                "serve",
                "--database",
                &url,
                "--workers",
                "0",
                "--listen",
                &listen,
            ],
        );
        let base = format!("http://{listen}");
        p.wait_ready(name, &base);
        bases.push(base);
    }
    eprintln!(
        "[{:>6.1} s] servers up: {bases:?}",
        started.elapsed().as_secs_f64()
    );

    let token = login(&bases[0], "ops@bracket.example");
    let model = std::fs::read(repo_file("examples/steel-bracket-worked-example.toml")).unwrap();
    let r = http(
        &bases[1],
        "POST",
        "/api/v1/products?format=toml",
        Some(&token),
        &[("Content-Type", "application/toml")],
        &model,
    );
    assert_eq!(r.status, 201, "creating the product: {}", r.text());
    let product = r.json()["product"]["id"].as_i64().expect("product id");

    let mut job_ids = Vec::with_capacity(JOBS);
    let path = format!("/api/v1/products/{product}/footprints");
    for i in 0..JOBS {
        let r = http(
            &bases[i % 2],
            "POST",
            &path,
            Some(&token),
            &[("Content-Type", "application/json")],
            // A short Monte Carlo run makes each job last long enough that a worker
            // is almost never between jobs (the total stays the deterministic one).
            br#"{"monte_carlo": 2000}"#,
        );
        assert_eq!(r.status, 202, "queueing calculation {i}: {}", r.text());
        job_ids.push(r.json()["id"].as_i64().expect("job id"));
    }
    eprintln!(
        "[{:>6.1} s] queued {JOBS} calculations",
        started.elapsed().as_secs_f64()
    );
    // The workers start on a full queue (they compute faster than one client queues),
    // so the one killed below is surely in the middle of a job.
    let mut worker_pids = Vec::new();
    for name in ["worker-1", "worker-2"] {
        worker_pids.push(p.spawn(name, &["worker", "--database", &url, "--concurrency", "2"]));
    }

    let count = |status: &str, i: usize| -> u64 {
        get_json(
            &bases[i % 2],
            &format!("/api/v1/jobs?status={status}&limit=1"),
            &token,
        )["total"]
            .as_u64()
            .unwrap()
    };
    // Kill one worker once some jobs are done and it is surely holding some.
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut polls = 0;
    let done_at_kill = loop {
        let done = count("succeeded", polls);
        polls += 1;
        if done >= 100 {
            break done;
        }
        p.assert_alive("worker-1");
        p.assert_alive("worker-2");
        assert!(
            Instant::now() < deadline,
            "only {done} of {JOBS} jobs succeeded in 240 s; worker-1's log ends:\n{}",
            p.log_tail("worker-1")
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // Kill worker-1 while it holds jobs. Its leases name it (`host-PID-slot`); after the
    // kill, the jobs still running under its name are the interrupted ones (a dead
    // process renews nothing). Should the kill land between two jobs, a new worker-1 is
    // started and the kill repeated, so the test always interrupts work in progress.
    let held_by = |pid: u32| -> u64 {
        psql_on(
            &db,
            &format!(
                "SELECT COUNT(*) FROM jobs WHERE status = 'running' AND locked_by LIKE '%-{pid}-%'"
            ),
        )
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0)
    };
    let mut worker_1 = worker_pids[0];
    let mut interrupted = 0;
    for attempt in 0..5 {
        while held_by(worker_1) < 1 {
            assert!(Instant::now() < deadline, "worker-1 never held a job");
        }
        p.kill("worker-1");
        interrupted = held_by(worker_1);
        if interrupted > 0 {
            break;
        }
        eprintln!("kill {attempt} landed between jobs; starting worker-1 again");
        worker_1 = p.spawn(
            "worker-1",
            &["worker", "--database", &url, "--concurrency", "2"],
        );
    }
    assert!(
        interrupted > 0,
        "five kills of worker-1 all landed between jobs"
    );
    let running_at_kill = interrupted;
    eprintln!(
        "[{:>6.1} s] SIGKILLed worker-1 with {done_at_kill} jobs succeeded, {running_at_kill} of its jobs interrupted",
        started.elapsed().as_secs_f64()
    );
    assert!(
        done_at_kill < JOBS as u64,
        "every job was done before the kill; the kill proves nothing"
    );

    loop {
        let done = count("succeeded", polls);
        polls += 1;
        if done == JOBS as u64 {
            break;
        }
        assert_eq!(count("failed", polls), 0, "a job failed");
        p.assert_alive("worker-2");
        assert!(
            Instant::now() < deadline,
            "only {done} of {JOBS} jobs succeeded in 240 s; worker-2's log ends:\n{}",
            p.log_tail("worker-2")
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!(
        "[{:>6.1} s] all {JOBS} jobs succeeded",
        started.elapsed().as_secs_f64()
    );

    // Every job: succeeded, none failed, none still queued or running.
    assert_eq!(count("failed", 0), 0, "failed jobs");
    assert_eq!(count("queued", 1), 0, "queued jobs");
    assert_eq!(count("running", 0), 0, "running jobs");
    let mut retried = 0;
    let mut jobs = std::collections::BTreeMap::new();
    for offset in (0..JOBS).step_by(500) {
        let page = get_json(
            &bases[0],
            &format!("/api/v1/jobs?limit=500&offset={offset}"),
            &token,
        );
        for j in page["items"].as_array().unwrap() {
            jobs.insert(j["id"].as_i64().unwrap(), j.clone());
        }
    }
    for id in &job_ids {
        let j = jobs
            .get(id)
            .unwrap_or_else(|| panic!("job {id} is not listed"));
        assert_eq!(j["status"], "succeeded", "job {id}: {j}");
        assert!(j["last_error"].is_null(), "job {id} recorded an error: {j}");
        if j["attempts"].as_i64().unwrap() > 1 {
            retried += 1;
        }
    }
    assert!(
        retried >= 1,
        "no job was retried although {running_at_kill} were interrupted by the kill"
    );

    // Exactly one footprint per job, each with the hand-computed total.
    let mut footprint_jobs = std::collections::BTreeSet::new();
    let mut total_footprints = None;
    for offset in (0..JOBS).step_by(500) {
        let page = get_json(
            &bases[offset / 500 % 2],
            &format!("{path}?limit=500&offset={offset}"),
            &token,
        );
        total_footprints.get_or_insert(page["total"].as_u64().unwrap());
        for f in page["items"].as_array().unwrap() {
            let total = f["total"].as_f64().unwrap();
            assert!(
                ((total - WORKED_EXAMPLE_TOTAL) / WORKED_EXAMPLE_TOTAL).abs() < 1e-9,
                "footprint {} has total {total}, the worked example gives {WORKED_EXAMPLE_TOTAL}",
                f["id"]
            );
            let job = f["job_id"].as_i64().expect("footprint names its job");
            assert!(
                footprint_jobs.insert(job),
                "job {job} stored two footprints"
            );
        }
    }
    assert_eq!(total_footprints, Some(JOBS as u64), "footprints stored");
    let expected: std::collections::BTreeSet<i64> = job_ids.iter().copied().collect();
    assert_eq!(
        footprint_jobs, expected,
        "the footprints' jobs are the queued jobs"
    );
    eprintln!(
        "[{:>6.1} s] checked: {JOBS} footprints, one per job, {retried} job(s) retried after the kill",
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------
// 2. SIGKILL during a large import

/// A zip archive with the files stored (not compressed).
fn stored_zip(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
            }
        }
        !crc
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let (crc, size, offset) = (crc32(data), data.len() as u32, out.len() as u32);
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // method: stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A tabular package of `n` activities: each makes one kg of its product from half a
/// kg of the previous one and emits fossil CO2 and methane.
fn big_package(n: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut activities = String::from("id,name,unit,location,year,category\n");
    let mut exchanges = String::from("activity_id,kind,input_id,amount\n");
    for i in 0..n {
        let id = format!("big/material/{i:05}");
        writeln!(
            activities,
            "{id},\"Synthetic material {i}, for the crash test\",kg,CN,2025,material/synthetic"
        )
        .unwrap();
        writeln!(exchanges, "{id},production,{id},1").unwrap();
        if i > 0 {
            writeln!(exchanges, "{id},technosphere,big/material/{:05},0.5", i - 1).unwrap();
        }
        writeln!(
            exchanges,
            "{id},biosphere,co2-fossil,{}",
            0.1 + (i % 97) as f64 / 100.0
        )
        .unwrap();
        writeln!(exchanges, "{id},biosphere,ch4-fossil,0.001").unwrap();
    }
    let flows = "id,name,compartment,unit,gas,origin\nco2-fossil,\"Carbon dioxide, fossil\",air,kg,CO2,fossil\nch4-fossil,\"Methane, fossil\",air,kg,CH4,fossil\n";
    let characterization = "method,flow_id,factor\nar6,co2-fossil,1\nar6,ch4-fossil,29.8\n";
    stored_zip(&[
        ("activities.csv", activities.into_bytes()),
        ("flows.csv", flows.as_bytes().to_vec()),
        ("exchanges.csv", exchanges.into_bytes()),
        ("characterization.csv", characterization.as_bytes().to_vec()),
    ])
}

fn sqlite_integrity(file: &Path) -> Option<String> {
    let out = Command::new("sqlite3")
        .arg(file)
        .arg("PRAGMA integrity_check;")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The versions of database `big`; each listed one must hold all its activities.
fn big_versions(base: &str, token: &str, n: usize) -> Vec<Value> {
    let versions = get_json(base, "/api/v1/databases?name=big", token);
    let versions = versions.as_array().expect("a list of versions").clone();
    for v in &versions {
        assert_eq!(v["name"], "big", "asked for 'big' only: {v}");
        assert_eq!(v["activities"].as_u64(), Some(n as u64), "version row: {v}");
        let stored = get_json(
            base,
            &format!(
                "/api/v1/databases/activities?version_id={}&limit=1",
                v["id"]
            ),
            token,
        );
        assert_eq!(
            stored["total"].as_u64(),
            Some(n as u64),
            "activities stored for version {}",
            v["id"]
        );
    }
    versions
}

#[test]
fn killed_during_import_leaves_nothing_half_written() {
    const N: usize = 20_000;
    let started = Instant::now();
    let mut p = Platform::new();
    let data_dir = p.dir().join("zuji-data");
    let data = data_dir.to_str().unwrap().to_string();
    let store = ["--data-dir", data.as_str()];
    admin(
        &store,
        &["create-org", "National Registry", "--kind", "registry"],
        "",
    );
    admin(
        &store,
        &[
            "create-user",
            "registry@gov.example",
            "--org",
            "National Registry",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );

    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    p.spawn(
        "server-1",
        &["serve", "--data-dir", &data, "--listen", &listen],
    );
    p.wait_ready("server-1", &base);
    let token = login(&base, "registry@gov.example");

    let package = big_package(N);
    eprintln!(
        "[{:>6.1} s] server up; package of {N} activities, {} bytes",
        started.elapsed().as_secs_f64(),
        package.len()
    );
    let r = http(
        &base,
        "POST",
        "/api/v1/databases/big/versions?format=tabular",
        Some(&token),
        &[("Content-Type", "application/zip")],
        &package,
    );
    assert_eq!(r.status, 202, "queueing the import: {}", r.text());
    let job = r.json()["id"].as_i64().expect("job id");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let j = get_json(&base, &format!("/api/v1/jobs/{job}"), &token);
        match j["status"].as_str().unwrap() {
            "running" => break,
            "queued" => {}
            other => panic!(
                "the import finished ({other}) before the test could kill the server; make the package larger: {j}"
            ),
        }
        assert!(
            Instant::now() < deadline,
            "the import did not start within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The worker now parses the package, then writes the version in one transaction.
    // Nothing else writes meanwhile (reads never do, heartbeats come every 10 s), so the
    // next change to the write-ahead log is that transaction spilling pages (or its
    // commit): kill the server right then.
    let file = data_dir.join("zuji.sqlite");
    let wal = data_dir.join("zuji.sqlite-wal");
    let stamp = || {
        std::fs::metadata(&wal)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    let before = stamp();
    let watch = Instant::now();
    while stamp() == before && watch.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let wrote = stamp() != before;
    p.kill("server-1");
    eprintln!(
        "[{:>6.1} s] SIGKILLed the server during import job {job}, {:.0} ms after it started ({})",
        started.elapsed().as_secs_f64(),
        watch.elapsed().as_secs_f64() * 1000.0,
        if wrote {
            "as its transaction wrote to the WAL"
        } else {
            "no write seen"
        }
    );

    match sqlite_integrity(&file) {
        Some(r) => assert_eq!(r, "ok", "PRAGMA integrity_check after the kill"),
        None => eprintln!("sqlite3 is not installed; relying on the restart to open the file"),
    }

    p.spawn(
        "server-2",
        &["serve", "--data-dir", &data, "--listen", &listen],
    );
    p.wait_ready("server-2", &base);
    let token = login(&base, "registry@gov.example");
    let after_kill = big_versions(&base, &token, N);
    assert!(
        after_kill.len() <= 1,
        "more than one version of 'big': {after_kill:?}"
    );
    eprintln!(
        "[{:>6.1} s] restarted: 'big' is {} after the kill",
        started.elapsed().as_secs_f64(),
        if after_kill.is_empty() {
            "absent"
        } else {
            "complete"
        }
    );

    // The job whose worker died is retried once its lease runs out, and completes.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut retry_started = None;
    let j = loop {
        let j = get_json(&base, &format!("/api/v1/jobs/{job}"), &token);
        match j["status"].as_str().unwrap() {
            "succeeded" => break j,
            "failed" => panic!("the retried import failed: {j}"),
            "running" if j["attempts"].as_i64() > Some(1) => {
                retry_started.get_or_insert_with(Instant::now);
            }
            _ => {}
        }
        p.assert_alive("server-2");
        assert!(
            Instant::now() < deadline,
            "the import was not retried to completion within 120 s: {j}; log:\n{}",
            p.log_tail("server-2")
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    eprintln!(
        "[{:>6.1} s] import job succeeded after {} attempt(s); the retry ran for about {:.1} s",
        started.elapsed().as_secs_f64(),
        j["attempts"],
        retry_started
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or(f64::NAN)
    );
    let versions = big_versions(&base, &token, N);
    assert_eq!(
        versions.len(),
        1,
        "'big' is stored exactly once: {versions:?}"
    );
    assert_eq!(
        j["result"]["database_version_id"], versions[0]["id"],
        "the job names the stored version"
    );
    if after_kill.is_empty() {
        assert_eq!(
            j["attempts"].as_i64(),
            Some(2),
            "the killed attempt and its retry: {j}"
        );
    }
    p.kill("server-2");
    if let Some(r) = sqlite_integrity(&file) {
        assert_eq!(r, "ok", "PRAGMA integrity_check at the end");
    }
}

// ---------------------------------------------------------------------------------
// 3. The server killed in the middle of a calculation

/// A long calculation (Monte Carlo) is running when the server is SIGKILLed: on restart
/// the store is intact, no footprint of the job exists, and the job is run again after
/// its lease and stores exactly one footprint, with the deterministic total.
#[test]
fn killed_during_a_calculation_runs_it_again_exactly_once() {
    let started = Instant::now();
    let mut p = Platform::new();
    let data_dir = p.dir().join("zuji-data");
    let data = data_dir.to_str().unwrap().to_string();
    let store = ["--data-dir", data.as_str()];
    admin(
        &store,
        &["create-org", "Bracket Works", "--kind", "enterprise"],
        "",
    );
    admin(
        &store,
        &[
            "create-user",
            "calc@bracket.example",
            "--org",
            "Bracket Works",
            "--role",
            "editor",
        ],
        &format!("{PASSWORD}\n"),
    );
    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    p.spawn(
        "server-1",
        &["serve", "--data-dir", &data, "--listen", &listen],
    );
    p.wait_ready("server-1", &base);
    let token = login(&base, "calc@bracket.example");
    let model = std::fs::read(repo_file("examples/steel-bracket-worked-example.toml")).unwrap();
    let r = http(
        &base,
        "POST",
        "/api/v1/products?format=toml",
        Some(&token),
        &[("Content-Type", "application/toml")],
        &model,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let product = r.json()["product"]["id"].as_i64().unwrap();
    // 100,000 Monte Carlo iterations keep the worker busy for a while.
    let body = serde_json::json!({"monte_carlo": 100000, "seed": 7}).to_string();
    let r = http(
        &base,
        "POST",
        &format!("/api/v1/products/{product}/footprints"),
        Some(&token),
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let job = r.json()["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let j = get_json(&base, &format!("/api/v1/jobs/{job}"), &token);
        match j["status"].as_str().unwrap() {
            "running" => break,
            "queued" => {}
            other => panic!("the calculation finished ({other}) before the kill: {j}"),
        }
        assert!(
            Instant::now() < deadline,
            "the calculation did not start within 60 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    p.kill("server-1");
    eprintln!(
        "[{:>6.1} s] killed during the calculation",
        started.elapsed().as_secs_f64()
    );
    if let Some(check) = sqlite_integrity(&data_dir.join("zuji.sqlite")) {
        assert_eq!(check, "ok", "integrity after the kill");
    }

    p.spawn(
        "server-2",
        &["serve", "--data-dir", &data, "--listen", &listen],
    );
    p.wait_ready("server-2", &base);
    let token = login(&base, "calc@bracket.example");
    let listed = get_json(
        &base,
        &format!("/api/v1/products/{product}/footprints"),
        &token,
    );
    assert_eq!(listed["total"], 0, "nothing half-written: {listed}");
    // The lease (30 s) runs out, the job is claimed again and finishes.
    let deadline = Instant::now() + Duration::from_secs(240);
    let finished = loop {
        let j = get_json(&base, &format!("/api/v1/jobs/{job}"), &token);
        if j["status"] != "queued" && j["status"] != "running" {
            break j;
        }
        assert!(
            Instant::now() < deadline,
            "the calculation was not run again: {j}"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    assert_eq!(finished["status"], "succeeded", "{finished}");
    assert_eq!(
        finished["attempts"], 2,
        "the killed attempt counts: {finished}"
    );
    let listed = get_json(
        &base,
        &format!("/api/v1/products/{product}/footprints"),
        &token,
    );
    assert_eq!(listed["total"], 1, "exactly one footprint: {listed}");
    let f = &listed["items"][0];
    assert_eq!(f["job_id"].as_i64(), Some(job));
    let total = f["total"].as_f64().unwrap();
    assert!(
        ((total - WORKED_EXAMPLE_TOTAL) / WORKED_EXAMPLE_TOTAL).abs() < 1e-9,
        "{total}"
    );
    assert_eq!(
        f["result"]["monte_carlo"]["iterations"], 100000,
        "{}",
        f["result"]["monte_carlo"]
    );
    eprintln!("[{:>6.1} s] done", started.elapsed().as_secs_f64());
}
