//! How many expensive requests one source may have under way at once. The hashing pool is shared
//! by everyone; without this, one machine sending sign-ins in a loop fills its queue and every
//! honest person gets "busy". With it, a source waits its turn for its own few slots and the pool
//! keeps room for the rest.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct InFlight {
    per_source: usize,
    counts: Arc<Mutex<HashMap<String, usize>>>,
}

/// A slot held while a request is under way; dropping it frees the slot.
pub struct Slot {
    key: String,
    counts: Arc<Mutex<HashMap<String, usize>>>,
}

impl InFlight {
    pub fn new(per_source: usize) -> InFlight {
        InFlight { per_source: per_source.max(1), counts: Default::default() }
    }

    /// A slot for `source`, or None when it already has `per_source` requests under way.
    pub fn enter(&self, source: &str) -> Option<Slot> {
        let mut counts = self.counts.lock().ok()?;
        let n = counts.entry(source.to_string()).or_default();
        if *n >= self.per_source {
            return None;
        }
        *n += 1;
        Some(Slot { key: source.to_string(), counts: self.counts.clone() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.counts.lock()
            && let Some(n) = counts.get_mut(&self.key)
        {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InFlight;

    #[test]
    fn a_source_gets_its_slots_and_no_more_others_are_unaffected() {
        let f = InFlight::new(2);
        let a1 = f.enter("1.2.3.4").unwrap();
        let _a2 = f.enter("1.2.3.4").unwrap();
        assert!(f.enter("1.2.3.4").is_none());
        assert!(f.enter("5.6.7.8").is_some(), "another source");
        drop(a1);
        assert!(f.enter("1.2.3.4").is_some(), "a freed slot is reused");
    }
}
