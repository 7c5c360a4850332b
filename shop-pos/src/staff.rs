//! Staff at the till: a name and a PIN (Argon2id), managers approve discounts and manage staff.
//! A session is a random token in an HttpOnly, SameSite=Strict cookie, stored hashed.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
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

pub async fn create(db: &impl ConnectionTrait, name: &str, pin: &str, manager: bool) -> Result<i64, PosError> {
    let hash = Argon2::default()
        .hash_password(pin.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .to_string();
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

/// The staff member if the PIN is theirs.
pub async fn check_pin(db: &impl ConnectionTrait, id: i64, pin: &str) -> Result<Option<Staff>, PosError> {
    let row = db
        .query_one_raw(stmt(
            "SELECT id, name, manager, pin_hash FROM staff WHERE id = ? AND active = 1",
            vec![id.into()],
        ))
        .await?;
    let Some(r) = row else { return Ok(None) };
    let hash: String = r.try_get("", "pin_hash")?;
    let ok = PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok());
    Ok(ok.then(|| Staff {
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
