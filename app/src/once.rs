//! Server data read once per render.
//!
//! A `Suspense`'s children are a closure that Leptos calls more than once while rendering on the
//! server (a dry pass to find what is loading, then the render, then a check for anything newly
//! loading). A server call made inside that closure is therefore made two or three times, and the
//! earlier futures are dropped half-way: a database connection being opened for them is thrown
//! away mid-handshake. On PostgreSQL over TLS that cost every signed-in page ~100-200 ms (a new
//! connection per page). Started once in the component's body and awaited from the closure, the
//! call runs once and is never cut off.

use std::future::{Future, IntoFuture};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use leptos::prelude::{GetValue, StoredValue};
use leptos::reactive::computed::ScopedFuture;

/// A server call started once; a copyable handle, so the closures that await it need no clones.
pub struct Once<T: 'static>(StoredValue<Shared<BoxFuture<'static, T>>>);

impl<T> Clone for Once<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Once<T> {}

/// Starts `call` for this component (in its reactive owner, so it reads the request's context).
pub fn once<T, F>(call: F) -> Once<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Clone + Send + Sync + 'static,
{
    Once(StoredValue::new(ScopedFuture::new(call).boxed().shared()))
}

impl<T: Clone + Send + Sync + 'static> IntoFuture for Once<T> {
    type Output = T;
    type IntoFuture = Shared<BoxFuture<'static, T>>;

    fn into_future(self) -> Self::IntoFuture {
        self.0.get_value()
    }
}
