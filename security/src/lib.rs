//! Web security shared by the marketplace and the till: bounded password hashing, the response
//! headers both send, which "go back to" targets may be followed, and where a request came from.
//! A crate of its own because both binaries need the same answers and `store` needs the hashing.

pub mod client;
pub mod files;
pub mod headers;
pub mod html;
pub mod in_flight;
pub mod passwords;
#[cfg(feature = "probe")]
pub mod probe;
pub mod redirect;
