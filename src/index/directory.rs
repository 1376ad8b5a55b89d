//! The index folder as Tantivy sees it: Tantivy's memory-mapped directory,
//! with two changes that let people share an index.
//!
//! - Files written whole (`meta.json`, `.managed.json`) are created with the
//!   process's umask, like every segment file, instead of 0600 (Tantivy's
//!   temporary-file crate), so an index built by a service account or copied
//!   as a replica can be read by others.
//! - Opening a reader takes Tantivy's meta lock, which creates a lock file
//!   and so needs write access. Where the folder cannot be written (another
//!   user's index, a read-only mount), readers go on without it: the lock
//!   only keeps this process's own writer from collecting files while its
//!   readers open them, and a process that cannot write has no writer.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// Tantivy's directory over one folder, as described above.
#[derive(Clone, Debug)]
pub(crate) struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    /// The directory of the folder `root`, which must exist.
    pub(crate) fn open(root: &Path) -> tantivy::Result<IndexDirectory> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// True when an I/O error says the folder cannot be written.
fn cannot_write(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        write_atomically(&self.root.join(path), data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(error))
                if lock.filepath == META_LOCK.filepath && cannot_write(&error) =>
            {
                Ok(DirectoryLock::from(Box::new(NoLock)))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// What a reader holds instead of the meta lock in a folder it cannot write.
struct NoLock;

/// Temporary files written by this process so far, for unique names.
static TEMPORARY_FILES: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `data` all at once: written to a temporary file
/// beside it (`.tmp…`, which a killed run leaves for the next writer to
/// remove), synced, then renamed over it. The file gets the umask's mode.
fn write_atomically(path: &Path, data: &[u8]) -> io::Result<()> {
    let parent = path.parent().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no parent folder", path.display()),
        )
    })?;
    let n = TEMPORARY_FILES.fetch_add(1, Ordering::Relaxed);
    let temporary = parent.join(format!(".tmp{}-{n}", std::process::id()));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(data)?;
        file.sync_data()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        // Best effort: what is left is removed by the next writer anyway.
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn whole_files_get_the_umask_mode_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let directory = IndexDirectory::open(dir.path()).unwrap();
        directory
            .atomic_write(Path::new("meta.json"), b"{}")
            .unwrap();
        let reference = dir.path().join("reference");
        std::fs::File::create(&reference).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("meta.json")), mode(&reference));
        assert_eq!(std::fs::read(dir.path().join("meta.json")).unwrap(), b"{}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
