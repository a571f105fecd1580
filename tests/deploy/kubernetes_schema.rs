//! Every manifest under `deploy/kubernetes/` against the Kubernetes OpenAPI
//! schema, offline and strict (an unknown field is an error), for the two
//! most recent Kubernetes versions the `kubernetes-validate` tool (PyPI)
//! bundles: its own version and the one before. `.ci/run` installs it in a
//! throwaway virtual environment and names it in `KUBERNETES_VALIDATE`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::cli::{ok, repo};

/// The tool: `KUBERNETES_VALIDATE`, else `kubernetes-validate` on the PATH.
fn tool() -> String {
    std::env::var("KUBERNETES_VALIDATE").unwrap_or_else(|_| "kubernetes-validate".into())
}

/// `1.37` and `1.36` for kubernetes-validate 1.37.x, whose default is Kubernetes 1.37.
fn latest_two_versions() -> [String; 2] {
    let o = Command::new(tool()).arg("--version").output();
    let o = o.unwrap_or_else(|e| panic!("{}: {e} (pip install kubernetes-validate; .ci/run does)", tool()));
    let version = String::from_utf8_lossy(&ok(o).stdout).trim().to_string();
    let mut parts = version.split('.').map(|p| p.parse::<u32>());
    let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) else {
        panic!("kubernetes-validate --version printed {version:?}, not MAJOR.MINOR.PATCH");
    };
    [format!("{major}.{minor}"), format!("{major}.{}", minor - 1)]
}

fn validate(version: &str, file: &Path) -> Output {
    let mut c = Command::new(tool());
    c.args(["--strict", "--kubernetes-version", version]).arg(file).output().unwrap()
}

#[test]
#[ignore = "needs kubernetes-validate from PyPI: .ci/run installs it and runs this"]
fn kubernetes_manifests_pass_strict_openapi_validation() {
    let mut manifests: Vec<PathBuf> =
        fs::read_dir(repo("deploy/kubernetes")).unwrap().map(|e| e.unwrap().path()).collect();
    manifests.retain(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"));
    manifests.sort();
    assert!(!manifests.is_empty());
    let versions = latest_two_versions();
    for file in &manifests {
        let documents = fs::read_to_string(file).unwrap().matches("\nkind: ").count();
        for version in &versions {
            let said = String::from_utf8_lossy(&ok(validate(version, file)).stdout).into_owned();
            let passed = said.matches("passed for resource").count();
            assert_eq!(
                passed,
                documents,
                "{}: {documents} objects, {passed} passed on {version}:\n{said}",
                file.display()
            );
        }
    }

    // The check can fail: a field Kubernetes does not know is refused.
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(repo("deploy/kubernetes/sweep-job.yaml")).unwrap();
    let bad =
        text.replacen("  completionMode: Indexed\n", "  completionMode: Indexed\n  completionModes: Indexed\n", 1);
    assert_ne!(bad, text);
    fs::write(tmp.path().join("bad.yaml"), bad).unwrap();
    let o = validate(&versions[0], &tmp.path().join("bad.yaml"));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success() && said.contains("'completionModes' was unexpected"), "{said}");
}
