//! A wrong password at a real code against one at a code no operator has (F20): both
//! should cost one argon2 verification and one counted failure, so their times match.
//!
//! ```sh
//! CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench login
//! ```
//!
//! Each timed attempt is one failed log-in on a file database (the failure is counted in
//! a durable transaction); the lockout is set out of reach so every attempt is checked.

use criterion::Criterion;
use frontdesk::domain::Role;
use frontdesk::store::Store;
use frontdesk::store::auth::NewOperator;

fn login(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(&dir.path().join("login.sqlite")).expect("open");
    let new = NewOperator { code: "desk1", name: "王芳", roles: &[Role::Receptionist], password: "right password" };
    s.create_operator(None, 0, &new).expect("operator");
    s.set_setting(1, 0, "login.max_failures", "100").expect("setting");
    let mut now = 1_795_745_700;
    let mut g = c.benchmark_group("login_wrong_password");
    g.sample_size(30);
    // Each timed attempt follows an untimed one at the other code, so both meet the same
    // database (its WAL grows, checkpoints come) whichever is measured first.
    for (code, other) in [("desk1", "nosuch"), ("nosuch", "desk1")] {
        g.bench_function(code, |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    // a minute apart: a lock (never reached here) would be long over
                    now += 61;
                    let _ = s.login(other, "wrong password", now);
                    let t = std::time::Instant::now();
                    let _ = std::hint::black_box(s.login(code, "wrong password", now));
                    spent += t.elapsed();
                }
                spent
            })
        });
    }
    g.finish();
}

criterion::criterion_group!(benches, login);
criterion::criterion_main!(benches);
