//! Accounts and sessions. Passwords are Argon2id hashes; session and reset tokens are random and
//! stored only as SHA-256 hashes. Failed sign-ins are counted per account in the database, so the
//! limit holds across restarts and replicas.

use chrono::{DateTime, Duration, Utc};
use domain::account::{Login, Role};
use domain::address::FieldError;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entity::user;
use crate::limits::{self, Limit};
use crate::sql::stmt;
use crate::{Store, StoreError};

/// Wrong passwords allowed per account (or unknown login) within the window; the count is taken
/// before the password is checked.
pub const SIGN_IN: Limit = Limit { max: 5, window: Duration::minutes(15) };
/// Sign-up attempts per source: sign-up must say when a login already has an account (the person
/// should sign in instead), so how often one source may ask is what is limited.
pub const SIGN_UP: Limit = Limit { max: 20, window: Duration::minutes(60) };
/// A session's last use is written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(5);

pub use domain::account::Account;

fn account(u: user::Model) -> Account {
    Account {
        id: u.id,
        name: u.name,
        email: u.email,
        phone: u.phone,
        role: Role::parse(&u.role).unwrap_or(Role::Shopper),
        producer_id: u.producer_id,
        showroom_id: u.showroom_id,
    }
}

pub(crate) fn sha256_hex(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// An Argon2id hash, made by the bounded hashing pool (see `security::passwords`).
pub async fn hash_password(pw: &str) -> Result<String, StoreError> {
    security::passwords::hash(pw)
        .await
        .map_err(|_| StoreError::Busy)?
        .ok_or_else(|| StoreError::Seed("password hashing failed".into()))
}

async fn find_by_login(db: &impl ConnectionTrait, login: &Login) -> Result<Option<user::Model>, StoreError> {
    let q = match login {
        Login::Email(e) => user::Entity::find().filter(user::Column::Email.eq(e.as_str())),
        Login::Phone(p) => user::Entity::find().filter(user::Column::Phone.eq(p.as_str())),
    };
    Ok(q.one(db).await?)
}

fn field(field: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }
}

pub struct NewAccount<'a> {
    pub name: &'a str,
    pub login: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub producer_id: Option<i64>,
    pub showroom_id: Option<i64>,
}

/// Creates an account; every problem with the form comes back at once, tied to its field.
pub async fn create(
    db: &impl ConnectionTrait,
    n: NewAccount<'_>,
) -> Result<Result<Account, Vec<FieldError>>, StoreError> {
    let mut errors = Vec::new();
    let name = n.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        errors.push(field("name", "Vui lòng nhập họ tên (2–100 ký tự).", "Please enter your name (2-100 characters)."));
    }
    let login = Login::parse(n.login);
    match &login {
        None => errors.push(field(
            "login",
            "Nhập email hoặc số điện thoại Việt Nam.",
            "Enter an email address or a Vietnamese phone number.",
        )),
        Some(l) if find_by_login(db, l).await?.is_some() => errors.push(field(
            "login",
            "Email hoặc số điện thoại này đã có tài khoản. Hãy đăng nhập.",
            "This email or phone already has an account. Please sign in.",
        )),
        Some(_) => {}
    }
    if let Err(e) = domain::account::check_password(n.password) {
        errors.push(e);
    }
    let Some(login) = login.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
    let now = Utc::now();
    let (email, phone) = match login {
        Login::Email(e) => (Some(e), None),
        Login::Phone(p) => (None, Some(p)),
    };
    let inserted = user::ActiveModel {
        email: Set(email),
        phone: Set(phone),
        name: Set(name.to_string()),
        password_hash: Set(hash_password(n.password).await?),
        role: Set(n.role.code().into()),
        producer_id: Set(n.producer_id),
        showroom_id: Set(n.showroom_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(u) => Ok(Ok(account(u))),
        // Two sign-ups for one email at once: the unique index decides, the loser is told plainly.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Ok(Err(vec![field(
            "login",
            "Email hoặc số điện thoại này đã có tài khoản. Hãy đăng nhập.",
            "This email or phone already has an account. Please sign in.",
        )])),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The session token for the cookie.
    Ok {
        token: String,
        account: Account,
        /// The stored hash the password matched: a device cookie is bound to it, so changing the
        /// password forgets every known device.
        password_hash: String,
    },
    BadCredentials,
    /// Too many failures for this account: try again after this many minutes.
    Throttled {
        minutes: i64,
    },
}

/// Checks the password and opens a session. The same answer, in about the same time, for an
/// unknown account and a wrong password, so the form does not tell which emails have accounts.
///
/// `known_device` says whether the request proves it signed in to this account before (given the
/// account's id and stored hash; see the server's device cookie). Such a sign-in is counted apart
/// from everyone else's attempts on the login and waits in the hashing pool's own lane, so guesses
/// from elsewhere can neither lock its owner out nor crowd them out.
pub async fn sign_in(
    store: &Store,
    raw_login: &str,
    password: &str,
    known_device: &(dyn Fn(i64, &str) -> bool + Sync),
) -> Result<SignIn, StoreError> {
    let db = &store.db;
    let now = Utc::now();
    let Some(login) = Login::parse(raw_login) else {
        security::passwords::spend_like_a_check().await.map_err(|_| StoreError::Busy)?;
        return Ok(SignIn::BadCredentials);
    };
    let user = find_by_login(db, &login).await?.filter(|u| !u.disabled);
    let known = user.as_ref().is_some_and(|u| known_device(u.id, &u.password_hash));
    let (key, lane) = if known {
        (format!("{}:known-device", login.key()), security::passwords::Lane::Known)
    } else {
        (login.key(), security::passwords::Lane::Open)
    };
    if limits::take(db, &key, SIGN_IN, now).await? > SIGN_IN.max {
        return Ok(SignIn::Throttled { minutes: SIGN_IN.minutes() });
    }
    let checked = match &user {
        Some(u) => security::passwords::verify_in(lane, password, &u.password_hash).await,
        None => security::passwords::spend_like_a_check().await.map(|()| false),
    };
    let ok = match checked {
        Ok(ok) => ok,
        Err(security::passwords::Busy) => {
            // Not checked, so not held against the account.
            limits::give_back(db, &key).await?;
            return Err(StoreError::Busy);
        }
    };
    let Some(user) = user.filter(|_| ok) else { return Ok(SignIn::BadCredentials) };
    limits::clear(db, &key).await?;
    let password_hash = user.password_hash.clone();
    let account = account(user);
    let token = format!("{}{}", crate::sql::token(), crate::sql::token());
    db.execute_raw(stmt(
        db.get_database_backend(),
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        vec![
            sha256_hex(&token).into(),
            account.id.into(),
            now.into(),
            now.into(),
            (now + account.role.session_limits().max).into(),
        ],
    ))
    .await?;
    Ok(SignIn::Ok { token, account, password_hash })
}

/// The account behind a session cookie, if the session is live: not past its cap, not idle too
/// long for the account's role (see `SessionLimits`). Its last use is recorded.
pub async fn session_account(db: &impl ConnectionTrait, token: &str) -> Result<Option<Account>, StoreError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let now = Utc::now();
    let backend = db.get_database_backend();
    let hash = sha256_hex(token);
    let row = db
        .query_one_raw(stmt(
            backend,
            "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
            vec![hash.clone().into(), now.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let user_id: i64 = row.try_get("", "user_id")?;
    let (created, last_seen): (DateTime<Utc>, DateTime<Utc>) =
        (row.try_get("", "created_at")?, row.try_get("", "last_seen_at")?);
    let Some(account) = user::Entity::find_by_id(user_id).one(db).await?.filter(|u| !u.disabled).map(account) else {
        return Ok(None);
    };
    if !account.role.session_limits().live(created, last_seen, now) {
        db.execute_raw(stmt(backend, "DELETE FROM sessions WHERE token_hash = ?", vec![hash.into()])).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY {
        db.execute_raw(stmt(
            backend,
            "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
            vec![now.into(), hash.into()],
        ))
        .await?;
    }
    Ok(Some(account))
}

pub async fn sign_out(db: &impl ConnectionTrait, token: &str) -> Result<(), StoreError> {
    db.execute_raw(stmt(
        db.get_database_backend(),
        "DELETE FROM sessions WHERE token_hash = ?",
        vec![sha256_hex(token).into()],
    ))
    .await?;
    Ok(())
}

/// Ends every session of the account (a lost phone, a shared computer).
pub async fn sign_out_everywhere(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, StoreError> {
    let res = db
        .execute_raw(stmt(db.get_database_backend(), "DELETE FROM sessions WHERE user_id = ?", vec![user_id.into()]))
        .await?;
    Ok(res.rows_affected())
}

/// One account per role for demos, with the documented password, on a database that has none.
/// Returns the logins created.
pub async fn seed_demo_accounts(db: &impl ConnectionTrait) -> Result<Vec<(String, Role)>, StoreError> {
    if user::Entity::find().one(db).await?.is_some() {
        return Ok(Vec::new());
    }
    let producer = crate::entity::producer::Entity::find().one(db).await?.map(|p| p.id);
    let mut made = Vec::new();
    for (login, name, role) in [
        ("khach@ocop.local", "Khách hàng mẫu", Role::Shopper),
        ("chuthe@ocop.local", "Thành viên chủ thể mẫu", Role::Producer),
        ("nhanvien@ocop.local", "Nhân viên điểm bán mẫu", Role::Staff),
        ("vanphong@ocop.local", "Văn phòng OCOP mẫu", Role::Admin),
        ("xa@ocop.local", "Cán bộ xã mẫu", Role::Commune),
        ("hoidong1@ocop.local", "Thành viên hội đồng mẫu 1", Role::Council),
        ("hoidong2@ocop.local", "Thành viên hội đồng mẫu 2", Role::Council),
    ] {
        let producer_id = if role == Role::Producer { producer } else { None };
        let created =
            create(db, NewAccount { name, login, password: DEMO_PASSWORD, role, producer_id, showroom_id: None })
                .await?;
        if let Ok(account) = created {
            if role == Role::Commune {
                // The demo producer's commune, so the officer has a dossier to look after.
                db.execute_raw(stmt(
                    db.get_database_backend(),
                    "UPDATE users SET commune = (SELECT COALESCE(NULLIF(commune, ''), district_pre2025) FROM producers WHERE id = ?) \
                     WHERE id = ?",
                    vec![producer.into(), account.id.into()],
                ))
                .await?;
            }
            made.push((login.to_string(), role));
        }
    }
    Ok(made)
}

/// Documented in the README and printed at first start; for demos only.
pub const DEMO_PASSWORD: &str = "ocop-demo-2026";

/// Reset links stay valid this long, and work once.
pub const RESET_MINUTES: i64 = 60;

/// Sends a reset link through the outbox when the login names an account with an email. Says
/// nothing either way, so the form does not reveal which accounts exist.
pub async fn request_reset(store: &Store, raw_login: &str, public_url: &str) -> Result<(), StoreError> {
    let Some(login) = Login::parse(raw_login) else { return Ok(()) };
    let Some(user) = find_by_login(&store.db, &login).await?.filter(|u| !u.disabled) else { return Ok(()) };
    let Some(email) = user.email.clone() else { return Ok(()) };
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    let token = password_token(&txn, user.id, now + Duration::minutes(RESET_MINUTES)).await?;
    let link = format!("{public_url}/account/reset/{token}");
    let body = format!(
        "Chào {},\n\nĐể đặt lại mật khẩu, mở liên kết sau (hiệu lực {RESET_MINUTES} phút, dùng một lần):\n{link}\n\n\
         To reset your password, open this link (valid {RESET_MINUTES} minutes, once):\n{link}\n\n\
         Nếu bạn không yêu cầu, hãy bỏ qua thư này. / If you did not ask for this, ignore this message.\n",
        user.name
    );
    crate::orders::enqueue_plain(&txn, &email, "Đặt lại mật khẩu / Reset your password", &body, now).await?;
    txn.commit().await?;
    drop(turn);
    Ok(())
}

/// A one-use token that sets the account's password until `expires` (a reset link or an invitation).
pub(crate) async fn password_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    expires: chrono::DateTime<Utc>,
) -> Result<String, StoreError> {
    let token = format!("{}{}", crate::sql::token(), crate::sql::token());
    db.execute_raw(stmt(
        db.get_database_backend(),
        "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
        vec![sha256_hex(&token).into(), user_id.into(), expires.into()],
    ))
    .await?;
    Ok(token)
}

/// Sets a new password with a reset token; every session of the account ends.
pub async fn reset_password(store: &Store, token: &str, password: &str) -> Result<Result<(), FieldError>, StoreError> {
    let expired = || {
        field(
            "token",
            "Liên kết đã hết hạn hoặc đã dùng. Hãy yêu cầu liên kết mới.",
            "This link expired or was used. Please ask for a new one.",
        )
    };
    if token.len() != 64 {
        return Ok(Err(expired()));
    }
    if let Err(e) = domain::account::check_password(password) {
        return Ok(Err(e));
    }
    let hash = hash_password(password).await?;
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(stmt(
            backend,
            "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
            vec![now.into(), sha256_hex(token).into(), now.into()],
        ))
        .await?;
    let Some(user_id) = row.map(|r| r.try_get::<i64>("", "user_id")).transpose()? else {
        txn.rollback().await?;
        return Ok(Err(expired()));
    };
    txn.execute_raw(stmt(
        backend,
        "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
        vec![hash.into(), now.into(), user_id.into()],
    ))
    .await?;
    txn.execute_raw(stmt(backend, "DELETE FROM sessions WHERE user_id = ?", vec![user_id.into()])).await?;
    // The other links sent to this account (asked for twice, or by someone else) die with this one.
    txn.execute_raw(stmt(
        backend,
        "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
        vec![now.into(), user_id.into()],
    ))
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}
