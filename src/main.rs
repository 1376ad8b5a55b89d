//! The `briefs` binary: parse the command line (clap's error, with a tip
//! of ours, when it cannot be read), run it, print any error once with its
//! causes, and exit with the status the command chose.

use std::error::Error as _;
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
    let result = briefs::run(cli, &mut out).and_then(|status| {
        out.flush().map_err(Error::Output)?;
        Ok(status)
    });
    match result {
        Ok(status) => ExitCode::from(status.code()),
        // A reader that stops early (`briefs search x | head -1`) is not an
        // error: like grep and ripgrep, exit quietly and successfully.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut message = format!("briefs: {err}");
            let mut source = err.source();
            while let Some(cause) = source {
                let text = cause.to_string();
                if !message.contains(&text) {
                    message.push_str(": ");
                    message.push_str(&text);
                }
                source = cause.source();
            }
            eprintln!("{message}");
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
