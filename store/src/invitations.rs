//! The office invites people by email: the account is made with the role it asks for and a password
//! nobody knows, and a link through the outbox lets the person set their own.

use chrono::{Duration, Utc};
use domain::account::{Account, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Store;
use crate::admin::{belonging_missing, belongs, belongs_exist, field, office_only};
use crate::entity::user;
use crate::listings::{Outcome, Refusal};
use crate::office::audit;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub producer_id: String,
    pub showroom_id: String,
}

/// An invitation link lets its person set a password this long.
pub const INVITE_DAYS: i64 = 7;

/// Creates an account for someone the office invites and mails them a link (through the outbox) to
/// set their own password. The account has a random password nobody knows until then.
pub async fn invite(store: &Store, actor: &Account, f: &InviteForm, public_url: &str) -> Outcome<i64> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let mut errors = Vec::new();
    let name = f.name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        errors.push(field("name", "Nhập họ tên (2–100 ký tự).", "Enter a name (2-100 characters)."));
    }
    let email = match domain::account::Login::parse(&f.email) {
        Some(domain::account::Login::Email(e)) => Some(e),
        _ => {
            errors.push(field("email", "Nhập một địa chỉ email.", "Enter an email address."));
            None
        }
    };
    let role = Role::parse(f.role.trim());
    let (producer_id, showroom_id) = match role {
        Some(r) => belongs(r, &f.producer_id, &f.showroom_id),
        None => (None, None),
    };
    match role {
        None => errors.push(field("role", "Chọn vai trò.", "Choose a role.")),
        Some(r) => errors.extend(belonging_missing(r, producer_id, showroom_id)),
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Ok(Err(Refusal::Invalid(errors)));
    };
    let unknown = crate::accounts::hash_password(&format!("{}{}", crate::sql::token(), crate::sql::token())).await?;
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    if user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(&txn).await?.is_some() {
        txn.rollback().await?;
        return Ok(Err(Refusal::Invalid(vec![field(
            "email",
            "Email này đã có tài khoản: tìm trong danh sách để đổi vai trò.",
            "This email already has an account: find it in the list to change its role.",
        )])));
    }
    if !belongs_exist(&txn, producer_id, showroom_id).await? {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    }
    let u = user::ActiveModel {
        email: Set(Some(email.clone())),
        phone: Set(None),
        name: Set(name.to_string()),
        password_hash: Set(unknown),
        role: Set(role.code().into()),
        producer_id: Set(producer_id),
        showroom_id: Set(showroom_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let token = crate::accounts::password_token(&txn, u.id, now + Duration::days(INVITE_DAYS)).await?;
    let link = format!("{public_url}/account/reset/{token}");
    let (role_vi, role_en) = role.label();
    let body = format!(
        "Chào {name},\n\n{} mời bạn dùng Chợ OCOP Bình Thuận với vai trò {role_vi}. Mở liên kết sau để đặt mật khẩu \
         (hiệu lực {INVITE_DAYS} ngày, dùng một lần), rồi đăng nhập bằng email {email}:\n{link}\n\n\
         {} invites you to OCOP Market Bình Thuận as {role_en}. Open this link to set your password (valid \
         {INVITE_DAYS} days, once), then sign in with {email}:\n{link}\n",
        actor.name, actor.name
    );
    crate::orders::enqueue_plain(
        &txn,
        &email,
        "Lời mời tham gia Chợ OCOP / Your invitation to OCOP Market",
        &body,
        now,
    )
    .await?;
    let after = json!({"name": name, "role": role.code(), "producer_id": producer_id, "showroom_id": showroom_id});
    audit(&txn, actor, "invite", "user", &email, serde_json::Value::Null, after).await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(u.id))
}
