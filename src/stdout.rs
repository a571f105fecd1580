//! Everything the commands print goes through [`Printer`]: a closed or full
//! stdout (`hostsim run … | head -1`, `> /dev/full`) must neither panic, as
//! `println!` does, nor stop the work whose results go to files.

use std::io::{self, Write};

/// Writes to stdout (or `W`) until the first failure, then stays silent;
/// that failure decides the exit status once the work is done ([`Printer::finish`]).
pub struct Printer<W: Write = io::Stdout> {
    out: W,
    failed: Option<io::Error>,
    /// `--quiet`: print nothing.
    silent: bool,
}

impl Printer {
    /// A printer to the process's stdout.
    pub fn stdout() -> Printer {
        Printer::new(io::stdout())
    }
}

impl<W: Write> Printer<W> {
    /// A printer to `out`.
    pub fn new(out: W) -> Printer<W> {
        Printer { out, failed: None, silent: false }
    }

    /// This printer, printing nothing from now on if `quiet`.
    pub fn quiet(&mut self, quiet: bool) -> &mut Self {
        self.silent |= quiet;
        self
    }

    /// Writes `text` and flushes it, unless an earlier write failed.
    pub fn print(&mut self, text: &str) {
        if !self.silent
            && self.failed.is_none()
            && let Err(e) = self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush())
        {
            self.failed = Some(e);
        }
    }

    /// The write error, if one happened, except a closed pipe: a reader such
    /// as `head` that stops early is not a failure (Rust ignores SIGPIPE, so
    /// the write returns EPIPE instead of killing the process).
    pub fn finish(self) -> io::Result<()> {
        match self.failed {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e),
            _ => Ok(()),
        }
    }
}

/// `n` with thousands separators: 3,461,612.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails every write with `kind`.
    struct Failing {
        room: usize,
        kind: io::ErrorKind,
        written: Vec<u8>,
        attempts: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.attempts += 1;
            if self.written.len() + buf.len() > self.room {
                return Err(io::Error::from(self.kind));
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn failing(kind: io::ErrorKind) -> Printer<Failing> {
        Printer::new(Failing { room: 4, kind, written: Vec::new(), attempts: 0 })
    }

    #[test]
    fn a_closed_pipe_ends_the_printing_quietly() {
        let mut p = failing(io::ErrorKind::BrokenPipe);
        p.print("ok\n");
        p.print("lost\n");
        p.print("never tried\n");
        assert_eq!((p.out.written.as_slice(), p.out.attempts), (&b"ok\n"[..], 2));
        assert!(p.finish().is_ok());
    }

    #[test]
    fn other_write_errors_are_kept_for_the_exit_status() {
        let mut p = failing(io::ErrorKind::StorageFull);
        p.print("too long\n");
        p.print("x");
        assert_eq!(p.out.attempts, 1);
        assert_eq!(p.finish().unwrap_err().kind(), io::ErrorKind::StorageFull);
    }
}
