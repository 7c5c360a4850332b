//! Staff at the till: a name and a PIN (Argon2id), managers approve discounts and manage staff.
//! A session is a random token in an HttpOnly, SameSite=Strict cookie, stored hashed.

use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

use crate::PosError;
use crate::db::stmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub name: String,
    pub manager: bool,
}

/// 4 to 8 digits: quick on a till keypad, and the lockout below keeps guessing slow.
pub fn pin_ok(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Hashing is bounded (see `security::passwords`): a busy till says so instead of queueing for ever.
fn busy(_: security::passwords::Busy) -> PosError {
    PosError::Busy
}

pub async fn create(db: &impl ConnectionTrait, name: &str, pin: &str, manager: bool) -> Result<i64, PosError> {
    let hash = security::passwords::hash(pin)
        .await
        .map_err(busy)?
        .ok_or_else(|| std::io::Error::other("PIN hashing failed"))?;
    let r = db
        .execute_raw(stmt(
            "INSERT INTO staff (name, pin_hash, manager) VALUES (?, ?, ?)",
            vec![name.trim().into(), hash.into(), manager.into()],
        ))
        .await?;
    Ok(r.last_insert_id() as i64)
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Staff>, PosError> {
    let rows =
        db.query_all_raw(stmt("SELECT id, name, manager FROM staff WHERE active = 1 ORDER BY name", vec![])).await?;
    rows.iter()
        .map(|r| {
            Ok(Staff { id: r.try_get("", "id")?, name: r.try_get("", "name")?, manager: r.try_get("", "manager")? })
        })
        .collect()
}

/// Wrong PINs allowed per staff member within `LOCK_WINDOW`; kept in the till's database, so a
/// restart does not forget them.
pub const MAX_PIN_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 5;

/// What a PIN check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinCheck {
    Right(Staff),
    Wrong,
    /// Too many wrong PINs for this person lately.
    Locked,
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    // Fixed width, so times compare as text.
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Checks a staff member's PIN. The attempt is counted before the PIN is hashed, by one statement,
/// so PINs sent in parallel are counted one by one and only the first few are ever checked.
pub async fn check_pin(db: &impl ConnectionTrait, id: i64, pin: &str) -> Result<PinCheck, PosError> {
    let now = chrono::Utc::now();
    let since = stamp(now - chrono::Duration::minutes(LOCK_MINUTES));
    let counted = db
        .query_one_raw(stmt(
            "INSERT INTO pin_attempts (staff_id, failures, window_start) VALUES (?, 1, ?) \
             ON CONFLICT (staff_id) DO UPDATE SET \
               failures = CASE WHEN pin_attempts.window_start > ? THEN pin_attempts.failures + 1 ELSE 1 END, \
               window_start = CASE WHEN pin_attempts.window_start > ? THEN pin_attempts.window_start ELSE ? END \
             RETURNING failures",
            vec![id.into(), stamp(now).into(), since.clone().into(), since.into(), stamp(now).into()],
        ))
        .await?
        .map(|r| r.try_get::<i32>("", "failures"))
        .transpose()?
        .unwrap_or(1);
    if counted > MAX_PIN_FAILURES {
        return Ok(PinCheck::Locked);
    }
    let row = db
        .query_one_raw(stmt(
            "SELECT id, name, manager, pin_hash FROM staff WHERE id = ? AND active = 1",
            vec![id.into()],
        ))
        .await?;
    let Some(r) = row else { return Ok(PinCheck::Wrong) };
    let hash: String = r.try_get("", "pin_hash")?;
    let ok = match security::passwords::verify(pin, &hash).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked, so not counted.
            db.execute_raw(stmt(
                "UPDATE pin_attempts SET failures = failures - 1 WHERE staff_id = ? AND failures > 0",
                vec![id.into()],
            ))
            .await?;
            return Err(busy(e));
        }
    };
    if !ok {
        return Ok(PinCheck::Wrong);
    }
    db.execute_raw(stmt("DELETE FROM pin_attempts WHERE staff_id = ?", vec![id.into()])).await?;
    Ok(PinCheck::Right(Staff {
        id,
        name: r.try_get("", "name").unwrap_or_default(),
        manager: r.try_get("", "manager").unwrap_or(false),
    }))
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn start_session(db: &impl ConnectionTrait, staff_id: i64) -> Result<String, PosError> {
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    db.execute_raw(stmt(
        "INSERT INTO sessions (token_hash, staff_id, created_at) VALUES (?, ?, ?)",
        vec![hash_token(&token).into(), staff_id.into(), chrono::Utc::now().to_rfc3339().into()],
    ))
    .await?;
    Ok(token)
}

/// A session lasts a long shift; then the PIN is asked again.
const SESSION_LIFETIME: chrono::Duration = chrono::Duration::hours(14);

pub async fn by_session(db: &impl ConnectionTrait, token: &str) -> Result<Option<Staff>, PosError> {
    let row = db
        .query_one_raw(stmt(
            "SELECT s.id, s.name, s.manager FROM sessions x JOIN staff s ON s.id = x.staff_id \
             WHERE x.token_hash = ? AND s.active = 1 AND x.created_at > ?",
            vec![hash_token(token).into(), (chrono::Utc::now() - SESSION_LIFETIME).to_rfc3339().into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => {
            Some(Staff { id: r.try_get("", "id")?, name: r.try_get("", "name")?, manager: r.try_get("", "manager")? })
        }
        None => None,
    })
}

pub async fn end_session(db: &impl ConnectionTrait, token: &str) -> Result<(), PosError> {
    db.execute_raw(stmt("DELETE FROM sessions WHERE token_hash = ?", vec![hash_token(token).into()])).await?;
    Ok(())
}
