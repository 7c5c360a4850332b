//! Router-level tests: the real router on a real port, over a real SQLite file, or over PostgreSQL
//! when `TEST_DATABASE_URL` is set (each test gets a database of its own).

mod accounts;
mod authz;
mod catalog;
mod cluster;
mod dashboard;
mod evaluation;
mod evaluation_forms;
mod headers_walk;
mod listings;
mod mail;
mod office;
mod orders;
mod pages;
mod payments;
mod portal;
mod processes;
mod replicas;
mod search_quality;
mod security;
mod shopper;
mod storefront;
mod support;
mod sync;
mod tax;
mod trace;
mod wallets;
mod xss;
