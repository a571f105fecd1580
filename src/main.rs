use std::process::ExitCode;

fn main() -> ExitCode {
    hostsim::app::main()
}
