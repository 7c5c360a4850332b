//! Files only this program should read: the database (accounts, addresses, sessions), the signing
//! key, queued mail with reset links. Created readable by their owner alone, whatever the umask, and
//! tightened when an earlier version left them open to other users of the machine.

use std::path::Path;

/// Creates `dir` (and its parents) readable by the owner only; an existing directory is left as the
/// operator set it, its contents are protected one by one.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Writes `bytes` to a new file at `path` that only the owner can read.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    make_private(path)
}

/// Creates `path` empty if missing, and takes read and write from everyone but the owner. SQLite
/// gives its `-wal` and `-shm` files the database file's own permissions.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    if !path.exists() {
        write_private(path, b"")?;
    }
    make_private(path)
}

fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn files_and_directories_are_the_owners_alone() {
        let root = std::env::temp_dir().join(format!("sec-files-{}", std::process::id()));
        let dir = root.join("data");
        private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        let key = dir.join("secret.key");
        write_private(&key, b"k").unwrap();
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        let old = dir.join("ocop.db");
        std::fs::write(&old, b"").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        private_file(&old).unwrap();
        assert_eq!(std::fs::metadata(&old).unwrap().permissions().mode() & 0o777, 0o600, "tightened");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
