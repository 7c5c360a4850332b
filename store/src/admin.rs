//! The office's records of the programme's people and places: producers and their contacts, user
//! accounts and their roles, showrooms and the POS devices paired to them, and the audit log that
//! every change here writes to.

use chrono::{Duration, Utc};
use domain::account::{Account, Role};
use domain::address::FieldError;
use domain::ocop::ProducerKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use serde_json::json;

use crate::entity::{location, producer, user};
use crate::listings::{Outcome, Refusal};
use crate::office::audit;
use crate::sql::stmt;
use crate::{Store, StoreError};

pub(crate) fn field(f: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: f.into(), message_vi: vi.into(), message_en: en.into() }
}

pub(crate) fn office_only(actor: &Account) -> Option<Refusal> {
    (actor.role != Role::Admin).then_some(Refusal::Forbidden)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProducerForm {
    pub name: String,
    pub kind: String,
    pub district: String,
    pub province: String,
    pub commune: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
}

impl ProducerForm {
    fn check(&self) -> Result<(ProducerKind, Option<String>), Vec<FieldError>> {
        let mut e = Vec::new();
        if !(2..=300).contains(&self.name.trim().chars().count()) {
            e.push(field("name", "Tên chủ thể cần 2–300 ký tự.", "The producer's name needs 2-300 characters."));
        }
        let kind = ProducerKind::parse(self.kind.trim()).ok();
        if kind.is_none() {
            e.push(field("kind", "Chọn loại chủ thể.", "Choose the kind of producer."));
        }
        if !(2..=120).contains(&self.province.trim().chars().count()) {
            e.push(field("province", "Nhập tỉnh/thành phố.", "Enter the province or city."));
        }
        let phone = match self.phone.trim() {
            "" => None,
            raw => match domain::address::normalize_phone(raw) {
                Some(p) => Some(p),
                None => {
                    e.push(field("phone", "Số điện thoại không hợp lệ.", "The phone number is not valid."));
                    None
                }
            },
        };
        if !self.email.trim().is_empty() && !domain::address::plain_email(self.email.trim()) {
            e.push(field("email", "Email không hợp lệ.", "The email address is not valid."));
        }
        match kind {
            Some(k) if e.is_empty() => Ok((k, phone)),
            _ => Err(e),
        }
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Creates (`id` None) or changes a producer's record.
pub async fn save_producer(store: &Store, actor: &Account, id: Option<i64>, f: &ProducerForm) -> Outcome<i64> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let (kind, phone) = match f.check() {
        Ok(x) => x,
        Err(e) => return Ok(Err(Refusal::Invalid(e))),
    };
    let (turn, txn) = store.write_txn().await?;
    let now = Utc::now();
    let after = json!({"name": f.name.trim(), "kind": kind.code(), "district": opt(&f.district), "province": f.province.trim(),
                       "commune": opt(&f.commune), "contact_name": opt(&f.contact_name), "phone": phone, "email": opt(&f.email)});
    let (pid, before) = match id {
        Some(id) => {
            let Some(p) = producer::Entity::find_by_id(id).one(&txn).await? else {
                txn.rollback().await?;
                return Ok(Err(Refusal::NotFound));
            };
            let before = json!({"name": p.name, "kind": p.kind, "district": p.district_pre2025, "province": p.province,
                                "commune": p.commune, "contact_name": p.contact_name, "phone": p.phone, "email": p.email});
            let mut am: producer::ActiveModel = p.into();
            am.name = Set(f.name.trim().into());
            am.kind = Set(Some(kind.code().into()));
            am.district_pre2025 = Set(opt(&f.district));
            am.province = Set(f.province.trim().into());
            am.commune = Set(opt(&f.commune));
            am.contact_name = Set(opt(&f.contact_name));
            am.phone = Set(phone);
            am.email = Set(opt(&f.email));
            am.updated_at = Set(now);
            am.update(&txn).await?;
            (id, before)
        }
        None => {
            let slug = crate::sql::free_slug(&txn, "producers", f.name.trim(), "chu-the").await?;
            let p = producer::ActiveModel {
                slug: Set(slug),
                name: Set(f.name.trim().into()),
                kind: Set(Some(kind.code().into())),
                district_pre2025: Set(opt(&f.district)),
                province: Set(f.province.trim().into()),
                commune: Set(opt(&f.commune)),
                story_vi: Set(None),
                story_en: Set(None),
                sample_values: Set(false),
                contact_name: Set(opt(&f.contact_name)),
                phone: Set(phone),
                email: Set(opt(&f.email)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (p.id, serde_json::Value::Null)
        }
    };
    audit(&txn, actor, if id.is_some() { "update" } else { "create" }, "producer", &pid.to_string(), before, after)
        .await?;
    txn.commit().await?;
    drop(turn);
    // Producer names and districts are on product cards and in search.
    let products: Vec<i64> = crate::entity::product::Entity::find()
        .filter(crate::entity::product::Column::ProducerId.eq(pid))
        .all(&store.db)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    store.products_changed(&products).await?;
    store.sync_index().await?;
    Ok(Ok(pid))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    pub role: String,
    pub producer_id: String,
    pub showroom_id: String,
    /// The commune a commune officer's account serves.
    pub commune: String,
    pub disabled: Option<String>,
}

/// The producer (for a member) or showroom (for staff) a role's account belongs to, as typed.
pub(crate) fn belongs(role: Role, producer_id: &str, showroom_id: &str) -> (Option<i64>, Option<i64>) {
    (
        producer_id.trim().parse::<i64>().ok().filter(|_| role == Role::Producer),
        showroom_id.trim().parse::<i64>().ok().filter(|_| role == Role::Staff),
    )
}

/// A member belongs to exactly one producer, staff to exactly one showroom.
pub(crate) fn belonging_missing(role: Role, producer_id: Option<i64>, showroom_id: Option<i64>) -> Option<FieldError> {
    match role {
        Role::Producer if producer_id.is_none() => {
            Some(field("producer_id", "Thành viên chủ thể cần chọn chủ thể.", "A producer member needs a producer."))
        }
        Role::Staff if showroom_id.is_none() => {
            Some(field("showroom_id", "Nhân viên cần chọn điểm bán.", "Showroom staff need a showroom."))
        }
        _ => None,
    }
}

/// Whether the producer and the showroom named (if any) exist.
pub(crate) async fn belongs_exist(
    db: &impl ConnectionTrait,
    producer_id: Option<i64>,
    showroom_id: Option<i64>,
) -> Result<bool, StoreError> {
    if let Some(p) = producer_id
        && producer::Entity::find_by_id(p).one(db).await?.is_none()
    {
        return Ok(false);
    }
    if let Some(s) = showroom_id
        && location::Entity::find_by_id(s).one(db).await?.is_none_or(|l| l.kind != "showroom")
    {
        return Ok(false);
    }
    Ok(true)
}

/// Changes an account's role, the producer or showroom it belongs to, or disables it. A member
/// belongs to exactly one producer, staff to exactly one showroom; a disabled account's sessions end.
pub async fn set_role(store: &Store, actor: &Account, user_id: i64, f: &RoleForm) -> Outcome<()> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let Some(role) = Role::parse(f.role.trim()) else {
        return Ok(Err(Refusal::Invalid(vec![field("role", "Chọn vai trò.", "Choose a role.")])));
    };
    let (producer_id, showroom_id) = belongs(role, &f.producer_id, &f.showroom_id);
    if let Some(e) = belonging_missing(role, producer_id, showroom_id) {
        return Ok(Err(Refusal::Invalid(vec![e])));
    }
    let commune = f.commune.trim();
    if role == Role::Commune && (commune.is_empty() || commune.chars().count() > 100) {
        return Ok(Err(Refusal::Invalid(vec![field(
            "commune",
            "Cán bộ xã cần ghi tên xã, phường (tối đa 100 ký tự).",
            "A commune officer needs the commune's name (100 characters at most).",
        )])));
    }
    let commune = (role == Role::Commune).then(|| commune.to_string());
    if user_id == actor.id && (role != Role::Admin || f.disabled.is_some()) {
        return Ok(Err(Refusal::Invalid(vec![field(
            "role",
            "Không thể tự bỏ quyền văn phòng của mình.",
            "You cannot remove your own office role.",
        )])));
    }
    let (turn, txn) = store.write_txn().await?;
    let Some(u) = user::Entity::find_by_id(user_id).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    };
    if !belongs_exist(&txn, producer_id, showroom_id).await? {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    }
    let before =
        json!({"role": u.role, "producer_id": u.producer_id, "showroom_id": u.showroom_id, "disabled": u.disabled});
    let disabled = f.disabled.is_some();
    let key = u.email.clone().or(u.phone.clone()).unwrap_or_default();
    let mut am: user::ActiveModel = u.into();
    am.role = Set(role.code().into());
    am.producer_id = Set(producer_id);
    am.showroom_id = Set(showroom_id);
    am.disabled = Set(disabled);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    txn.execute_raw(stmt(
        txn.get_database_backend(),
        "UPDATE users SET commune = ? WHERE id = ?",
        vec![commune.clone().into(), user_id.into()],
    ))
    .await?;
    // A changed role or a disabled account takes effect now, not when old sessions lapse.
    txn.execute_raw(stmt(txn.get_database_backend(), "DELETE FROM sessions WHERE user_id = ?", vec![user_id.into()]))
        .await?;
    let after = json!({"role": role.code(), "producer_id": producer_id, "showroom_id": showroom_id,
                       "commune": commune, "disabled": disabled});
    audit(&txn, actor, "set_role", "user", &key, before, after).await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShowroomForm {
    pub code: String,
    pub name: String,
    pub address: String,
}

pub async fn create_showroom(store: &Store, actor: &Account, f: &ShowroomForm) -> Outcome<i64> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let code = f.code.trim().to_uppercase();
    let mut e = Vec::new();
    if !(2..=32).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        e.push(field(
            "code",
            "Mã điểm bán: 2–32 chữ không dấu, số hoặc “-”.",
            "Showroom code: 2-32 letters, digits or “-”.",
        ));
    }
    if !(2..=200).contains(&f.name.trim().chars().count()) {
        e.push(field("name", "Tên điểm bán cần 2–200 ký tự.", "The showroom's name needs 2-200 characters."));
    }
    if e.is_empty() && location::Entity::find().filter(location::Column::Code.eq(&code)).one(&store.db).await?.is_some()
    {
        e.push(field("code", "Mã này đã có.", "This code is already in use."));
    }
    if !e.is_empty() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let (turn, txn) = store.write_txn().await?;
    let l = location::ActiveModel {
        code: Set(code.clone()),
        name: Set(f.name.trim().into()),
        kind: Set("showroom".into()),
        producer_id: Set(None),
        address: Set(opt(&f.address)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit(
        &txn,
        actor,
        "create",
        "showroom",
        &code,
        serde_json::Value::Null,
        json!({"name": f.name.trim(), "address": opt(&f.address)}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(l.id))
}

/// Pairing codes are short enough to type on a showroom machine and last a day.
pub const PAIRING_HOURS: i64 = 24;

/// Adds a POS device to a showroom with a fresh pairing code, shown this once (only its hash is kept).
pub async fn add_device(store: &Store, actor: &Account, showroom_id: i64, name: &str) -> Outcome<String> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let name = name.trim();
    if !(2..=120).contains(&name.chars().count()) {
        return Ok(Err(Refusal::Invalid(vec![field(
            "name",
            "Tên máy cần 2–120 ký tự.",
            "The device name needs 2-120 characters.",
        )])));
    }
    let Some(showroom) =
        location::Entity::find_by_id(showroom_id).one(&store.db).await?.filter(|l| l.kind == "showroom")
    else {
        return Ok(Err(Refusal::NotFound));
    };
    // 10 characters from an alphabet without look-alikes (0/O, 1/I/L): about 48 bits.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let raw = uuid::Uuid::new_v4().into_bytes();
    let code: String = raw.iter().take(10).map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    let code = format!("{}-{}", &code[..5], &code[5..]);
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    txn.execute_raw(stmt(
        txn.get_database_backend(),
        "INSERT INTO pos_devices (location_id, name, code_hash, code_expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
        vec![
            showroom_id.into(),
            name.into(),
            crate::accounts::sha256_hex(&code).into(),
            (now + Duration::hours(PAIRING_HOURS)).into(),
            now.into(),
        ],
    ))
    .await?;
    audit(&txn, actor, "add_device", "showroom", &showroom.code, serde_json::Value::Null, json!({"device": name}))
        .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(code))
}

/// Revokes a device: its token stops working and its pairing code too.
pub async fn revoke_device(store: &Store, actor: &Account, device_id: i64) -> Outcome<()> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let (turn, txn) = store.write_txn().await?;
    let n = txn
        .execute_raw(stmt(
            txn.get_database_backend(),
            "UPDATE pos_devices SET revoked_at = ?, code_hash = NULL, token_hash = NULL WHERE id = ? AND revoked_at IS NULL",
            vec![Utc::now().into(), device_id.into()],
        ))
        .await?
        .rows_affected();
    if n == 0 {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    }
    audit(
        &txn,
        actor,
        "revoke_device",
        "device",
        &device_id.to_string(),
        serde_json::Value::Null,
        json!({"revoked": true}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}

pub use domain::portal::OfficeData;

pub async fn office_data(db: &impl ConnectionTrait) -> Result<OfficeData, StoreError> {
    use domain::portal::{DeviceRow, ProducerRow, ShowroomRow, UserRow};
    let producers = producer::Entity::find()
        .order_by_asc(producer::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProducerRow {
            id: p.id,
            slug: p.slug,
            name: p.name,
            kind: p.kind.unwrap_or_default(),
            district: p.district_pre2025.unwrap_or_default(),
            province: p.province,
            commune: p.commune.unwrap_or_default(),
            contact_name: p.contact_name.unwrap_or_default(),
            phone: p.phone.unwrap_or_default(),
            email: p.email.unwrap_or_default(),
        })
        .collect();
    let users = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            name: u.name,
            login: u.email.or(u.phone).unwrap_or_default(),
            role: u.role,
            producer_id: u.producer_id,
            showroom_id: u.showroom_id,
            disabled: u.disabled,
            commune: None,
        })
        .collect::<Vec<_>>();
    let communes: std::collections::HashMap<i64, String> = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT id, commune FROM users WHERE commune IS NOT NULL",
            vec![],
        ))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "commune")?)))
        .collect::<Result<_, StoreError>>()?;
    let users = users.into_iter().map(|u| UserRow { commune: communes.get(&u.id).cloned(), ..u }).collect();
    let devices = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT id, location_id, name, code_expires_at, paired_at, revoked_at, last_sync_at FROM pos_devices ORDER BY id",
            vec![],
        ))
        .await?;
    let mut showrooms: Vec<ShowroomRow> = location::Entity::find()
        .filter(location::Column::Kind.eq("showroom"))
        .order_by_asc(location::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| ShowroomRow {
            id: l.id,
            code: l.code,
            name: l.name,
            address: l.address.unwrap_or_default(),
            devices: Vec::new(),
            sales_received: 0,
        })
        .collect();
    let received = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT location_id, COUNT(*) AS n FROM pos_sales GROUP BY location_id",
            vec![],
        ))
        .await?;
    for r in received {
        let loc: i64 = r.try_get("", "location_id")?;
        let n: i64 = r.try_get("", "n")?;
        if let Some(s) = showrooms.iter_mut().find(|s| s.id == loc) {
            s.sales_received = n;
        }
    }
    let fmt = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| t.with_timezone(&crate::vietnam()).format("%d/%m/%Y %H:%M").to_string())
    };
    for d in devices {
        let loc: i64 = d.try_get("", "location_id")?;
        let row = DeviceRow {
            id: d.try_get("", "id")?,
            name: d.try_get("", "name")?,
            code_expires: fmt(d.try_get("", "code_expires_at")?),
            paired_at: fmt(d.try_get("", "paired_at")?),
            revoked_at: fmt(d.try_get("", "revoked_at")?),
            last_sync: fmt(d.try_get("", "last_sync_at")?),
        };
        if let Some(s) = showrooms.iter_mut().find(|s| s.id == loc) {
            s.devices.push(row);
        }
    }
    Ok(OfficeData { producers, users, showrooms, market_url: String::new() })
}

/// The newest audit entries, optionally of one kind of record.
pub async fn audit_log(
    db: &impl ConnectionTrait,
    entity: Option<&str>,
    limit: u64,
) -> Result<Vec<domain::portal::AuditRow>, StoreError> {
    let (sql, values) = match entity {
        Some(e) => (
            "SELECT actor_name, action, entity, entity_key, before, after, created_at FROM audit_log WHERE entity = ? ORDER BY id DESC LIMIT ?",
            vec![e.into(), (limit as i64).into()],
        ),
        None => (
            "SELECT actor_name, action, entity, entity_key, before, after, created_at FROM audit_log ORDER BY id DESC LIMIT ?",
            vec![(limit as i64).into()],
        ),
    };
    let rows = db.query_all_raw(stmt(db.get_database_backend(), sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            let at: chrono::DateTime<Utc> = r.try_get("", "created_at")?;
            Ok(domain::portal::AuditRow {
                at: at.with_timezone(&crate::vietnam()).format("%d/%m/%Y %H:%M:%S").to_string(),
                actor: r.try_get("", "actor_name")?,
                action: r.try_get("", "action")?,
                entity: r.try_get("", "entity")?,
                key: r.try_get("", "entity_key")?,
                before: r.try_get::<Option<String>>("", "before")?.unwrap_or_default(),
                after: r.try_get::<Option<String>>("", "after")?.unwrap_or_default(),
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}
