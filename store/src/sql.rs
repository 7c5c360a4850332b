//! Raw statements written once with `?` placeholders, numbered for PostgreSQL.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

pub fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend != DbBackend::Postgres {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    Statement::from_sql_and_values(backend, out, values)
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random token for cookies, one-time checkout tokens and order access keys.
pub fn token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The first of `slug(name)`, `slug(name)-2`, `-3`… not yet used in `table` (one of our tables
/// with a unique `slug`); `fallback` when the name has no letters or digits to make one from.
pub async fn free_slug(
    db: &impl ConnectionTrait,
    table: &'static str,
    name: &str,
    fallback: &str,
) -> Result<String, crate::StoreError> {
    let base = crate::seed::slugify(name);
    let base = if base.is_empty() { fallback.to_string() } else { base };
    let sql = format!("SELECT 1 AS one FROM {table} WHERE slug = ?");
    for n in 1.. {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if db.query_one_raw(stmt(db.get_database_backend(), &sql, vec![slug.clone().into()])).await?.is_none() {
            return Ok(slug);
        }
    }
    unreachable!("some suffix is free")
}
