//! `deploy/slurm/submit.sh`, unchanged, on a real one-node Slurm cluster:
//! Debian's `munged`, `slurmctld` and `slurmd`, started by this test in a
//! temporary directory with a `slurm.conf` of its own (state, spool, logs,
//! PID files and the munge socket all in there; free ports), sized to the
//! machine. The merged sweep must equal an unsharded one byte for byte, and
//! the merge step print the optimum table `sweep.sbatch` comments. The
//! daemons are stopped by PID when the test ends, passed or failed.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{assert_same_files, commented_table, printed_table, slurm_sweep_flags, unsharded};
use crate::common::cli::{command, ok, repo};

/// How long the whole array and its merge may take (a few seconds here).
const JOBS_LIMIT: Duration = Duration::from_secs(600);
/// How long a daemon may take to come up, or to stop once asked.
const DAEMON_LIMIT: Duration = Duration::from_secs(30);
/// What the daemons and Slurm's commands need.
const PROGRAMS: [&str; 8] = ["munged", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scontrol", "scancel"];

/// The daemons of a one-node cluster, stopped (and its jobs cancelled) on drop.
struct Cluster {
    dir: tempfile::TempDir,
    daemons: Vec<(&'static str, Child)>,
    jobs: Vec<String>,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = tempfile::Builder::new().prefix("hostsim-slurm-").tempdir().unwrap();
        // munged wants every directory above its socket searchable by all.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["state", "spool", "work"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let mut key = vec![0u8; 1024];
        fs::File::open("/dev/urandom").unwrap().read_exact(&mut key).unwrap();
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true).mode(0o600);
        std::io::Write::write_all(&mut options.open(dir.path().join("munge.key")).unwrap(), &key).unwrap();
        fs::write(dir.path().join("slurm.conf"), slurm_conf(dir.path())).unwrap();

        let mut cluster = Cluster { dir, daemons: Vec::new(), jobs: Vec::new() };
        let p = |name: &str| cluster.path(name).display().to_string();
        let munged = [
            "-F".to_string(),
            format!("--key-file={}", p("munge.key")),
            format!("--socket={}", p("munge.socket")),
            format!("--pid-file={}", p("munged.pid")),
            format!("--log-file={}", p("munged.log")),
            format!("--seed-file={}", p("munged.seed")),
        ];
        cluster.spawn("munged", &munged);
        cluster.wait_for("munged's socket", || cluster.path("munge.socket").exists().then_some(()));
        cluster.spawn("slurmctld", &["-D".to_string()]);
        cluster.spawn("slurmd", &["-D".to_string(), "-N".to_string(), NODE.to_string()]);
        cluster
            .wait_for("the node to be idle", || (cluster.slurm("sinfo", &["-h", "-o", "%t"]) == "idle").then_some(()));
        cluster
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Starts a daemon in the foreground (so its PID is the child's), its
    /// output in DIR/<name>.out.
    fn spawn(&mut self, name: &'static str, args: &[String]) {
        let out = fs::File::create(self.path(&format!("{name}.out"))).unwrap();
        let mut c = Command::new(name);
        c.args(args).env("SLURM_CONF", self.path("slurm.conf")).stdin(Stdio::null());
        let child = c.stdout(out.try_clone().unwrap()).stderr(out).spawn().unwrap_or_else(|e| panic!("{name}: {e}"));
        self.daemons.push((name, child));
    }

    /// A Slurm command's standard output, trimmed (empty when it fails: it
    /// also runs in `drop`, where a panic would abort).
    fn slurm(&self, program: &str, args: &[&str]) -> String {
        match Command::new(program).args(args).env("SLURM_CONF", self.path("slurm.conf")).output() {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
            _ => String::new(),
        }
    }

    /// Polls `ready` until it gives a value; fails with the daemons' logs after `DAEMON_LIMIT`.
    fn wait_for<T>(&self, what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(value) = ready() {
                return value;
            }
            if let Some((name, _)) = self.daemons.iter().find(|(_, child)| !running(child.id())) {
                panic!("{name} exited while waiting for {what}\n{}", self.logs());
            }
            assert!(started.elapsed() < DAEMON_LIMIT, "no {what} after {DAEMON_LIMIT:?}\n{}", self.logs());
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The daemons' output and logs, for a failure message.
    fn logs(&self) -> String {
        let names = ["munged.out", "slurmctld.out", "slurmctld.log", "slurmd.out", "slurmd.log"];
        let read = |n: &&str| format!("--- {n}:\n{}", fs::read_to_string(self.path(n)).unwrap_or_default());
        names.iter().map(read).collect::<Vec<_>>().join("\n")
    }

    /// `JobState` and `Reason` of a job, from `scontrol show job -o`.
    fn job_state(&self, id: &str) -> (String, String) {
        let line = self.slurm("scontrol", &["show", "job", "-o", id]);
        let field = |key: &str| {
            let value = line.split_whitespace().find_map(|w| w.strip_prefix(key).map(String::from));
            value.unwrap_or_default()
        };
        (field("JobState="), field("Reason="))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Jobs left running (a failed test) would outlive slurmd in slurmstepd.
        if !self.jobs.is_empty() && !self.slurm("squeue", &["-h"]).is_empty() {
            let ids: Vec<&str> = self.jobs.iter().map(String::as_str).collect();
            self.slurm("scancel", &ids);
            let started = Instant::now();
            while !self.slurm("squeue", &["-h"]).is_empty() && started.elapsed() < DAEMON_LIMIT {
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        for (name, child) in self.daemons.iter_mut().rev() {
            // SIGTERM lets each daemon clean up; SIGKILL if it has not within the limit.
            // SAFETY: kill(2) on our own child's PID, not yet waited for, so not reused.
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            let started = Instant::now();
            while child.try_wait().ok().flatten().is_none() {
                if started.elapsed() > DAEMON_LIMIT {
                    eprintln!("{name} ignored SIGTERM for {DAEMON_LIMIT:?}: killing it");
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Whether a process runs (a child that exited stays a zombie, state Z, until waited for).
fn running(pid: u32) -> bool {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'))
}

/// The node's name in `slurm.conf` (`slurmd -N` takes it, whatever the host is called).
const NODE: &str = "hostsim";

/// A `slurm.conf` for one node of this machine's CPUs and memory, everything
/// under `dir`, with no accounting, cgroups or plugins beyond the basic ones.
fn slurm_conf(dir: &Path) -> String {
    let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let host = host.trim().split('.').next().unwrap().to_string();
    let cpus = std::thread::available_parallelism().unwrap().get();
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap();
    let mem_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("MemTotal in /proc/meminfo");
    let d = dir.display();
    let (ctld_port, slurmd_port) = (free_port(), free_port());
    format!(
        "ClusterName=hostsimtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={d}/munge.socket
CredType=cred/munge
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
NodeName={NODE} NodeHostname={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={} State=UNKNOWN
PartitionName=hostsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
",
        mem_kib / 1024
    )
}

/// A TCP port free on the loopback interface now (the kernel's pick).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Why this machine cannot run the cluster, if it cannot.
fn cannot_run() -> Option<String> {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (the daemons run as root)".into());
    }
    let missing: Vec<&str> = PROGRAMS
        .into_iter()
        .filter(|p| !Command::new("which").arg(p).output().is_ok_and(|o| o.status.success()))
        .collect();
    (!missing.is_empty()).then(|| format!("{} not installed (apt-get install slurm-wlm munge)", missing.join(", ")))
}

#[test]
#[ignore = "needs root and Debian's slurm-wlm and munge: .ci/run installs them and runs it"]
fn slurm_example_runs_on_a_real_one_node_cluster() {
    if let Some(why) = cannot_run() {
        panic!("cannot start a Slurm cluster here: {why}");
    }
    let started = Instant::now();
    let mut cluster = Cluster::start();
    let work = cluster.path("work");
    let scenario = repo("scenarios/quickstart.toml");
    let mut submit = command("bash", &work);
    submit.arg(repo("deploy/slurm/submit.sh")).env("SCENARIO", &scenario).env("SLURM_CONF", cluster.path("slurm.conf"));
    let o = ok(submit.output().unwrap());
    // "Submitted batch job M" (the merge), then "submitted sweep array A and its merge step".
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    let merge = said.lines().find_map(|l| l.strip_prefix("Submitted batch job ")).expect(&said).to_string();
    let array = said.lines().find_map(|l| l.strip_prefix("submitted sweep array ")?.split(' ').next()).expect(&said);
    cluster.jobs = vec![array.to_string(), merge.clone()];

    let deadline = Instant::now() + JOBS_LIMIT;
    loop {
        let (state, reason) = cluster.job_state(&merge);
        match state.as_str() {
            "COMPLETED" => break,
            "PENDING" | "RUNNING" | "CONFIGURING" | "COMPLETING" if reason != "DependencyNeverSatisfied" => {}
            _ => panic!("merge job {merge}: {state} ({reason}); array tasks' output:\n{}", outputs(&work)),
        }
        assert!(Instant::now() < deadline, "merge job {merge} still {state} ({reason}) after {JOBS_LIMIT:?}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let jobs_took = started.elapsed();

    let merged = work.join("output/quickstart-sweep");
    assert_same_files(&merged, &unsharded(&work, &scenario, &slurm_sweep_flags()));
    let printed = fs::read(work.join(format!("hostsim-merge-{merge}.out"))).unwrap();
    assert_eq!(printed_table(&printed), commented_table("deploy/slurm/sweep.sbatch"));
    drop(cluster);
    eprintln!(
        "real Slurm: cluster up, 4 array tasks and the merge done in {:.1} s; {:.1} s in all",
        jobs_took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// The jobs' output files (`hostsim-*.out`), for a failure message.
fn outputs(work: &Path) -> String {
    let mut names: Vec<PathBuf> = fs::read_dir(work).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let read = |p: &PathBuf| format!("--- {}:\n{}", p.display(), fs::read_to_string(p).unwrap_or_default());
    names.iter().filter(|p| p.extension().is_some_and(|x| x == "out")).map(read).collect::<Vec<_>>().join("\n")
}
