//! The `briefs` binary: parse the command line (clap's error, with a tip
//! of ours, when it cannot be read), run it, print any error once with its
//! causes (through `report_error`), and exit with the status the command
//! chose.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use briefs::{Error, ExitStatus, parse_args};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match parse_args(&args) {
        Ok(cli) => cli,
        // clap's message, or --help and --version.
        Err(err) => err.exit(),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = briefs::run(cli, &mut out);
    // Results written before an error (the queries of a batch before the
    // one that failed) still reach stdout, before the error is printed.
    let flushed = out.flush().map_err(Error::Output);
    let result = result.and_then(|status| flushed.map(|()| status));
    match result {
        Ok(status) => ExitCode::from(status.code()),
        // A reader that stops early (`briefs search x | head -1`) is not an
        // error: like grep and ripgrep, exit quietly and successfully.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Escaped, and never a panic on a closed stderr.
            briefs::report_error(&err);
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}

fn is_broken_pipe(err: &Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        let io_kind = e.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        if io_kind == Some(std::io::ErrorKind::BrokenPipe) {
            return true;
        }
        source = e.source();
    }
    false
}
