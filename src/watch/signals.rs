//! SIGINT and SIGTERM as messages on the watch's channel (signal-hook's
//! self-pipe, read on a thread of its own), so the loop stops between
//! commits, never inside one: the batch being committed is finished, the
//! writer dropped and its lock released.

use std::sync::mpsc::Sender;

use crate::watch::Message;

/// Stops listening when dropped.
pub(crate) struct SignalListener {
    #[cfg(unix)]
    handle: signal_hook::iterator::Handle,
}

impl Drop for SignalListener {
    fn drop(&mut self) {
        #[cfg(unix)]
        self.handle.close();
    }
}

/// Sends [`Message::Stop`] with the signal's name when SIGINT or SIGTERM
/// comes. Elsewhere than Unix, no handler is installed (Ctrl-C ends the
/// process; Tantivy's commit is atomic all the same).
pub(crate) fn listen(sender: Sender<Message>) -> std::io::Result<SignalListener> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        let handle = signals.handle();
        std::thread::Builder::new()
            .name("briefs-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    let name = if signal == SIGINT {
                        "SIGINT"
                    } else {
                        "SIGTERM"
                    };
                    if sender.send(Message::Stop(name)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(SignalListener { handle })
    }
    #[cfg(not(unix))]
    {
        let _ = sender;
        Ok(SignalListener {})
    }
}
