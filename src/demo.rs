//! Demo data: realistic Chinese and English entries, generated from a fixed seed so
//! every demo database looks the same.

use crate::domain::register::{Context, RegisterDef, from_local, to_local};
use crate::domain::{Role, Value, customer, roles::parse_roles, visitor};
use crate::model::DEMO_OPERATORS;
use crate::store::{Result, Store, auth::NewOperator};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华",
    "平", "刚", "桂英", "小明", "建国", "晓燕", "子涵", "浩然", "雨欣",
];
const ENGLISH: &[&str] = &[
    "James Smith",
    "Emma Brown",
    "Oliver Wilson",
    "Sophie Taylor",
    "Daniel Miller",
    "Grace Lee",
    "Lucas Martin",
    "Hannah Schmidt",
    "Mark O'Neil",
    "Anna Kowalski",
];
const COMPANIES: &[&str] = &[
    "华为技术有限公司",
    "万科物业",
    "顺丰速运",
    "中国石化",
    "阿里巴巴",
    "比亚迪汽车",
    "招商银行",
    "美的集团",
    "Siemens China",
    "Bosch Auto Parts",
    "DHL Express",
    "Starbucks",
    "",
    "",
];
const POSITIONS: &[&str] = &["经理", "总监", "采购主管", "行政", "工程师", "Manager", "Director", ""];
const PURPOSES: &[&str] = &[
    "看房，咨询三楼办公室租赁",
    "车辆保养预约，取回行驶证",
    "咨询GPS定位器安装和年费",
    "投诉空调噪音，要求尽快维修",
    "送合同文件给销售部",
    "面试：行政助理岗位",
    "办理车辆交付手续",
    "咨询物业费账单",
    "Lease enquiry for the 12th floor",
    "Delivery of spare parts",
    "Service appointment for a company car",
    "来电询问维修进度",
    "拜访总经理（预约）",
    "商铺续租洽谈",
];
const STREETS: &[&str] = &["深南大道", "建国路", "人民路", "解放路", "中山路", "Nanjing Road"];

/// A small, fast, deterministic generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

pub fn name(r: &mut Rng) -> String {
    if r.chance(15) { r.pick(ENGLISH).to_string() } else { format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN)) }
}

pub fn mobile(r: &mut Rng) -> String {
    let prefix = ["138", "139", "135", "186", "158", "177", "199"][r.below(7)];
    format!("{prefix}{:08}", r.next_u64() % 100_000_000)
}

fn values(def: &RegisterDef, pairs: Vec<(&str, Value)>) -> Vec<Value> {
    let mut out = vec![Value::Null; def.fields.len()];
    for (k, v) in pairs {
        if let Some(i) = def.index(k) {
            out[i] = v;
        }
    }
    out
}

fn text(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { Value::Text(s.to_string()) }
}

pub fn customer_values(r: &mut Rng, staff: &[i64]) -> Vec<Value> {
    let phones = if r.chance(30) { format!("{},{}", mobile(r), mobile(r)) } else { mobile(r) };
    let grade = ["", "A", "B", "C"][r.below(4)];
    values(
        &customer::REGISTER,
        vec![
            ("name", Value::Text(name(r))),
            ("organisation", text(r.pick(COMPANIES))),
            ("position", text(r.pick(POSITIONS))),
            ("phones", Value::Text(phones)),
            ("address", Value::Text(format!("{}{}号", r.pick(STREETS), 1 + r.below(300)))),
            ("category", text(r.pick(customer::CATEGORIES))),
            ("grade", text(grade)),
            ("grade_provisional", Value::Bool(!grade.is_empty() && r.chance(40))),
            ("staff_id", Value::Ref(staff[r.below(staff.len())])),
        ],
    )
}

pub fn visitor_values(r: &mut Rng, at: i64, staff: &[i64], customers: &[i64]) -> Vec<Value> {
    let class = ["A", "B", "C", "D", "D", "D", "C", "C"][r.below(8)];
    let phone = if r.chance(85) { text(&mobile(r)) } else { Value::Null };
    let intent = !phone.is_null() && r.chance(25);
    let intermediary = r.chance(10);
    let party = if r.chance(80) { 1 + r.below(3) as i64 } else { 2 + r.below(14) as i64 };
    let customer = if !customers.is_empty() && r.chance(40) {
        Value::Ref(customers[r.below(customers.len())])
    } else {
        Value::Null
    };
    values(
        &visitor::REGISTER,
        vec![
            ("occurred_at", Value::Time(at)),
            ("channel", text(r.pick(visitor::CHANNELS))),
            ("name", Value::Text(name(r))),
            ("phone", phone),
            ("organisation", text(r.pick(COMPANIES))),
            ("visitor_class", text(class)),
            ("party_size", Value::Int(party)),
            ("purpose", Value::Text(r.pick(PURPOSES).to_string())),
            ("intent", Value::Bool(intent)),
            ("intermediary", Value::Bool(intermediary)),
            (
                "intermediary_name",
                if intermediary { text(["链家", "中原地产", "我爱我家"][r.below(3)]) } else { Value::Null },
            ),
            ("staff_id", Value::Ref(staff[r.below(staff.len())])),
            ("customer_id", customer),
            ("received_by", Value::Ref(staff[r.below(staff.len().min(2))])),
        ],
    )
}

/// Creates the demo operators (if missing) and returns (admin id, receptionist ids).
pub fn operators(store: &mut Store, now: i64) -> Result<(i64, Vec<i64>)> {
    for (code, pw, name, roles) in DEMO_OPERATORS {
        if store.operator_by_code(code)?.is_none() {
            let roles: Vec<Role> = parse_roles(roles).unwrap_or_default();
            let actor = store.operator_by_code("admin")?.map(|o| o.id);
            store.create_operator(actor, now, &NewOperator { code, name, roles: &roles, password: pw })?;
        }
    }
    let ops = store.operators()?;
    let admin = ops.iter().find(|o| o.code == "admin").map(|o| o.id).unwrap_or(1);
    let desk: Vec<i64> = ops
        .iter()
        .filter(|o| o.roles.contains(&Role::Receptionist) || o.roles.contains(&Role::Supervisor))
        .map(|o| o.id)
        .collect();
    Ok((admin, desk))
}

/// Fills a fresh demo database: operators, departments, customers and a month of
/// visitors up to now, during office hours.
pub fn seed(store: &mut Store, now: i64, offset: i32) -> Result<()> {
    if store.operator_count()? == 0 {
        seed_operators_only(store, now)?;
    }
    let (admin, desk) = operators(store, now)?;
    for d in ["前台", "销售部", "售后服务部", "工程部", "档案室", "总经理办公室"] {
        let _ = store.add_department(admin, now, d);
    }
    let ctx = Context::new(now, offset);
    let mut r = Rng::new(20_261_127);
    let month_ago = now - 30 * 86_400;
    let mut cust_rows = (0..150).map(|i| (month_ago + i * 600, customer_values(&mut r, &desk)));
    store.bulk_insert(admin, &ctx, &customer::REGISTER, &mut cust_rows)?;
    let customers: Vec<i64> = (1..=150).collect();
    let mut rows = Vec::new();
    let today = to_local(now, offset).date();
    for back in (0..30).rev() {
        let day = today - chrono::Duration::days(back);
        let n = 12 + r.below(12);
        let mut times: Vec<i64> = (0..n)
            .map(|_| {
                let minutes = 8 * 60 + 30 + r.below(9 * 60) as i64;
                from_local(day.and_hms_opt(0, 0, 0).unwrap_or_default(), offset) + minutes * 60
            })
            .filter(|t| *t <= now)
            .collect();
        times.sort();
        for t in times {
            rows.push((t, visitor_values(&mut r, t, &desk, &customers)));
        }
    }
    let mut it = rows.into_iter();
    store.bulk_insert(admin, &ctx, &visitor::REGISTER, &mut it)?;
    store.set_meta("demo", "yes")?;
    Ok(())
}

/// Adds `n` records to every register, as fast as one transaction allows (`demo --scale`).
pub fn scale(store: &mut Store, n: usize, now: i64, offset: i32) -> Result<()> {
    if store.operator_count()? == 0 {
        seed_operators_only(store, now)?;
    }
    let (admin, desk) = operators(store, now)?;
    let ctx = Context::new(now, offset);
    let mut r = Rng::new(7);
    let start = now - n as i64 * 60;
    let base = store.count(&customer::REGISTER)?;
    let mut cust = (0..n).map(|i| (start + i as i64 * 60, customer_values(&mut r, &desk)));
    store.bulk_insert(admin, &ctx, &customer::REGISTER, &mut cust)?;
    let customers: Vec<i64> = ((base + 1)..=(base + n as i64)).step_by((n / 1000).max(1)).collect();
    let mut vis = (0..n).map(|i| {
        let t = start + i as i64 * 60;
        (t, visitor_values(&mut r, t, &desk, &customers))
    });
    store.bulk_insert(admin, &ctx, &visitor::REGISTER, &mut vis)?;
    store.set_meta("demo", "yes")?;
    Ok(())
}

/// The first operator of an empty database is created without an actor.
fn seed_operators_only(store: &mut Store, now: i64) -> Result<()> {
    let (code, pw, name, roles) = DEMO_OPERATORS.iter().find(|o| o.0 == "admin").copied().unwrap_or(DEMO_OPERATORS[0]);
    let roles: Vec<Role> = parse_roles(roles).unwrap_or_default();
    store.create_operator(None, now, &NewOperator { code, name, roles: &roles, password: pw })?;
    Ok(())
}
