-- Wrong PINs per staff member, so the lockout holds across restarts (see `staff::check_pin`).
CREATE TABLE pin_attempts (staff_id INTEGER PRIMARY KEY, failures INTEGER NOT NULL, window_start TEXT NOT NULL)
