//! Demo data: realistic Chinese and English entries, generated from a fixed seed so
//! every demo database looks the same.

use crate::domain::register::{Context, RegisterDef, from_local, to_local};
use crate::domain::{Role, Value, customer, roles::parse_roles, visitor};
use crate::store::{Result, Store, auth::NewOperator};

/// The demo database's operators, shown on its login screen, with their departments.
pub const DEMO_OPERATORS: &[(&str, &str, &str, &str)] = &[
    ("wangfang", "desk123", "王芳", "receptionist"),
    ("lina", "desk123", "Li Na", "receptionist"),
    ("zhangqiang", "super123", "张强", "supervisor"),
    ("chenzong", "boss123", "陈总", "manager,supervisor"),
    ("zhouzong", "gm1234", "周总", "general_manager"),
    ("liugong", "fix123", "刘工", "dispatcher"),
    ("sunshifu", "fix123", "孙师傅", "technician"),
    ("zhaomin", "file123", "赵敏", "archivist"),
    ("admin", "admin123", "系统管理员", "admin"),
];

/// The demo operators' departments (the demo's own data, not a rule).
pub const DEMO_DEPARTMENTS: &[(&str, &str)] = &[
    ("wangfang", "前台"),
    ("lina", "前台"),
    ("zhangqiang", "售后服务部"),
    ("chenzong", "售后服务部"),
    ("zhouzong", "总经理办公室"),
    ("liugong", "工程部"),
    ("sunshifu", "工程部"),
    ("zhaomin", "档案室"),
];

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
/// What visitors come for, as a desk writes it down (the bench imports these too).
pub const PURPOSES: &[&str] = &[
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
        def.set(&mut out, k, v);
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
            // rule I8: every demo card is new, so its grade is still provisional
            ("grade_provisional", Value::Bool(!grade.is_empty())),
            ("staff_id", Value::Ref(staff[r.below(staff.len())])),
        ],
    )
}

/// A customer card a demo visitor may come back as: its id, name, first phone and company.
#[derive(Clone, Debug)]
pub struct Card {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub organisation: String,
}

/// Cards for demo visits, from the values of cards inserted from id `first`, every `step`.
pub fn cards(first: i64, values: &[Vec<Value>], step: usize) -> Vec<Card> {
    let c = &customer::REGISTER;
    values
        .iter()
        .enumerate()
        .step_by(step.max(1))
        .map(|(i, v)| Card {
            id: first + i as i64,
            name: c.value(v, "name").as_text().unwrap_or("").to_string(),
            phone: c.value(v, "phones").as_text().and_then(|p| p.split(',').next()).unwrap_or("").to_string(),
            organisation: c.value(v, "organisation").as_text().unwrap_or("").to_string(),
        })
        .collect()
}

/// A visitor: a returning customer (with the card's own name, phone and company) or
/// someone new.
pub fn visitor_values(r: &mut Rng, at: i64, staff: &[i64], cards: &[Card]) -> Vec<Value> {
    let class = ["A", "B", "C", "D", "D", "D", "C", "C"][r.below(8)];
    let card = if !cards.is_empty() && r.chance(40) { Some(&cards[r.below(cards.len())]) } else { None };
    let (who, phone, org, customer) = match card {
        Some(c) => (c.name.clone(), text(&c.phone), text(&c.organisation), Value::Ref(c.id)),
        None => {
            let phone = if r.chance(85) { text(&mobile(r)) } else { Value::Null };
            (name(r), phone, text(r.pick(COMPANIES)), Value::Null)
        }
    };
    let intent = !phone.is_null() && r.chance(25);
    let intermediary = r.chance(10);
    let party = if r.chance(80) { 1 + r.below(3) as i64 } else { 2 + r.below(14) as i64 };
    values(
        &visitor::REGISTER,
        vec![
            ("occurred_at", Value::Time(at)),
            ("channel", text(r.pick(visitor::CHANNELS))),
            ("name", Value::Text(who)),
            ("phone", phone),
            ("organisation", org),
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

/// Puts the demo operators in their departments.
fn place_operators(store: &mut Store, admin: i64, now: i64) -> Result<()> {
    let depts = store.departments()?;
    for (code, dept) in DEMO_DEPARTMENTS {
        let Some(mut op) = store.operator_by_code(code)? else { continue };
        let id = depts.iter().find(|d| d.1 == *dept).map(|d| d.0);
        if id.is_some() && op.department_id != id {
            op.department_id = id;
            store.update_operator(admin, now, &op)?;
        }
    }
    Ok(())
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
    place_operators(store, admin, now)?;
    let ctx = Context::new(now, offset);
    let mut r = Rng::new(20_261_127);
    let month_ago = now - 30 * 86_400;
    let base = store.count(&customer::REGISTER)?;
    let card_values: Vec<Vec<Value>> = (0..150).map(|_| customer_values(&mut r, &desk)).collect();
    let customers = cards(base + 1, &card_values, 1);
    let mut cust_rows = card_values.into_iter().enumerate().map(|(i, v)| (month_ago + i as i64 * 600, v));
    store.bulk_insert(admin, &ctx, &customer::REGISTER, &mut cust_rows)?;
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
    complaints(store, 80, now, offset)?;
    repairs(store, 90, now, offset)?;
    // rule C13: last month's statistics went in on time, except in the first days of a month
    let today = to_local(now, offset).date();
    if let Some(prev) = chrono::Datelike::with_day(&today, 1).and_then(|d| d.checked_sub_months(chrono::Months::new(1)))
        && chrono::Datelike::day(&today) > 10
    {
        let boss = store.operator_by_code("chenzong")?.map(|o| o.id).unwrap_or(admin);
        let at = now - 86_400 * (chrono::Datelike::day(&today) as i64 - 8);
        let settings = store.settings()?;
        store.submit_month(boss, at, &crate::domain::complaint_report::MONTHLY, prev, offset, &settings)?;
    }
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
    // every thousandth card is remembered for returning visitors
    let step = (n / 1000).max(1);
    let mut customers = Vec::new();
    let mut cust = (0..n).map(|i| {
        let v = customer_values(&mut r, &desk);
        if i % step == 0 {
            customers.extend(cards(base + 1 + i as i64, std::slice::from_ref(&v), 1));
        }
        (start + i as i64 * 60, v)
    });
    store.bulk_insert(admin, &ctx, &customer::REGISTER, &mut cust)?;
    drop(cust);
    let mut vis = (0..n).map(|i| {
        let t = start + i as i64 * 60;
        (t, visitor_values(&mut r, t, &desk, &customers))
    });
    store.bulk_insert(admin, &ctx, &visitor::REGISTER, &mut vis)?;
    complaints(store, n, now, offset)?;
    repairs(store, n, now, offset)?;
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

/// What a complaint is about, what was said, and its category (rule C1): each content
/// fits its subject.
const CASES: &[(&str, &str, &str)] = &[
    ("宝马X5 粤B12345", "保养后发动机异响，返修两次仍未解决", "repair"),
    ("奥迪A6L 京A88888", "合同约定的赠品未兑现", "contract"),
    ("奥迪A6L 京A88888", "维修后空调仍不制冷", "repair"),
    ("3号楼1201室", "物业费收费标准不透明", "contract"),
    ("B座商铺108", "电梯夜间噪音扰民", "service"),
    ("GPS定位器 SN-2026-0318", "定位器频繁掉线，年费已交", "product"),
    ("比亚迪汉 粤B D12345", "前台服务态度冷淡，等候超过一小时", "service"),
    ("Office 12F, Tower B", "The lift has been out of order for a week", "service"),
    ("行车记录仪 SN-7731", "安装后无法开机，要求更换", "product"),
    ("3号楼1201室", "建议物业前台延长周末服务时间", "suggestion"),
];

/// Complaints of this month and the last in every step, some late, some major, some
/// duplicates, with their callbacks, so every screen and report has something true.
pub fn complaints(store: &mut Store, n: usize, now: i64, offset: i32) -> Result<()> {
    use crate::domain::{callback, complaint};
    let (admin, desk) = operators(store, now)?;
    let ops = store.operators()?;
    let id_of = |code: &str| ops.iter().find(|o| o.code == code).map(|o| o.id).unwrap_or(admin);
    let (sup, boss, gm) = (id_of("zhangqiang"), id_of("chenzong"), id_of("zhouzong"));
    let handlers = [id_of("liugong"), id_of("zhaomin"), sup];
    let depts = store.departments()?;
    let dept = |i: usize| depts.get(i % depts.len().max(1)).map(|d| d.0);
    let settings = store.settings()?;
    let ctx = Context::new(now, offset);
    let base = store.count(&complaint::REGISTER)?;
    let cards = store.count(&crate::domain::customer::REGISTER)?;
    let mut r = Rng::new(31);
    let steps =
        ["decide", "assign", "investigate", "propose", "approve", "inform", "close", "closed", "closed", "rejected"];
    let mut rows = Vec::with_capacity(n);
    let mut calls = Vec::new();
    let span = 45 * 86_400;
    for i in 0..n {
        let received = now - span + (i as i64 * span / n.max(1) as i64) + r.below(3600) as i64;
        // older cases are further along; most older than a week are finished, some ran late
        let days = (now - received) / 86_400;
        let step = match days {
            8.. if r.chance(85) => {
                if r.chance(85) {
                    "closed"
                } else {
                    "rejected"
                }
            }
            8.. => steps[2 + r.below(5)],
            0 => steps[r.below(2)],
            1..=2 => steps[1 + r.below(3)],
            3..=5 => steps[3 + r.below(4)],
            _ => steps[5 + r.below(5)],
        };
        // rule C15: a duplicate is merged into its case at receipt, before any step
        // the newest case is a major one not yet reported upward: Today shows it (rule C11)
        let newest = i + 1 == n;
        let duplicate = if !newest && i > 3 && r.chance(6) { Some(base + 1 + r.below(i) as i64) } else { None };
        let step = if duplicate.is_some() { "merged" } else { step };
        // a rejected case ends at its decision (rule C4); a merged one before it
        let reached = |s: &str| match step {
            "merged" => false,
            "rejected" => s == "assign",
            _ => steps.iter().position(|x| *x == step) >= steps.iter().position(|x| *x == s),
        };
        let mut vals = vec![Value::Null; complaint::FIELDS.len()];
        let put = |vals: &mut Vec<Value>, k: &str, v: Value| complaint::REGISTER.set(vals, k, v);
        let anonymous = r.chance(8);
        put(&mut vals, "received_at", Value::Time(received));
        // a complaint found on a callback has a customer who was called: never anonymous
        let channel = loop {
            let c = r.pick(complaint::CHANNELS);
            if !(anonymous && c == "callback") {
                break c;
            }
        };
        put(&mut vals, "channel", Value::Text(channel.into()));
        put(&mut vals, "anonymous", Value::Bool(anonymous));
        if !anonymous {
            let complainant = name(&mut r);
            let contact = mobile(&mut r);
            // a complaint linked to a card bears the card's name and phone
            let card = if cards > 0 && r.chance(50) {
                let id = 1 + r.below(cards as usize) as i64;
                store.get(&crate::domain::customer::REGISTER, id).ok().map(|c| (id, c))
            } else {
                None
            };
            match card {
                Some((id, c)) => {
                    let cv =
                        |k: &str| crate::domain::customer::REGISTER.value(&c.values, k).as_text().map(str::to_string);
                    put(&mut vals, "complainant", Value::Text(cv("name").unwrap_or(complainant)));
                    let phone = cv("phones").and_then(|p| p.split(',').next().map(str::to_string));
                    put(&mut vals, "contact", Value::Text(phone.unwrap_or(contact)));
                    put(&mut vals, "customer_id", Value::Ref(id));
                }
                None => {
                    put(&mut vals, "complainant", Value::Text(complainant));
                    put(&mut vals, "contact", Value::Text(contact));
                }
            }
        }
        let (subject, content, category) = CASES[r.below(CASES.len())];
        put(&mut vals, "subject", Value::Text(subject.into()));
        put(&mut vals, "category", Value::Text(category.into()));
        put(&mut vals, "content", Value::Text(content.into()));
        put(&mut vals, "request", Value::Text(r.pick(complaint::REQUESTS).into()));
        put(&mut vals, "written_reply_only", Value::Bool(r.chance(5)));
        // the desk works in shifts: one receptionist takes a day's complaints and writes them
        // down (the record's registrar is its receiver)
        put(&mut vals, "received_by", Value::Ref(desk[((received / 86_400) as usize) % desk.len()]));
        put(&mut vals, "key_customer", Value::Bool(r.chance(15)));
        if let Some(into) = duplicate {
            put(&mut vals, "duplicate_of", Value::Ref(into));
        }
        let mut t = received + 1800;
        let mut tick = |r: &mut Rng| {
            t += 3600 + r.below(20 * 3600) as i64;
            t.min(now)
        };
        if newest || r.chance(10) {
            let at = tick(&mut r);
            put(&mut vals, "major", Value::Text(r.pick(complaint::MAJOR).into()));
            put(&mut vals, "major_at", Value::Time(at));
            put(&mut vals, "major_due_at", Value::Time(at + 24 * 3600));
            if !newest && r.chance(70) {
                put(&mut vals, "head_told_at", Value::Time(at + 600));
                put(&mut vals, "gm_told_at", Value::Time(at + 900));
                put(&mut vals, "reported_at", Value::Time(at + 3600 * (2 + r.below(30) as i64)));
                put(&mut vals, "reported_to", Value::Text("品牌厂家区域经理".into()));
            }
        }
        let stamp = |vals: &mut Vec<Value>, at: &str, by: &str, when: i64, who: i64| {
            put(vals, at, Value::Time(when));
            put(vals, by, Value::Ref(who));
        };
        let handler = handlers[r.below(handlers.len())];
        if reached("assign") {
            let rejected = step == "rejected";
            put(&mut vals, "decision", Value::Text(if rejected { "rejected" } else { "stands" }.into()));
            put(
                &mut vals,
                "decision_reason",
                Value::Text(if rejected { "客户自行改装所致" } else { "经核实属实" }.into()),
            );
            if rejected {
                put(&mut vals, "reply", Value::Text("已电话说明原因，客户表示理解".into()));
            }
            stamp(&mut vals, "decided_at", "decided_by", tick(&mut r), desk[0]);
        }
        if reached("investigate") {
            put(&mut vals, "department_id", dept(i).map(Value::Ref).unwrap_or_default());
            put(&mut vals, "handler_id", Value::Ref(handler));
            let at = tick(&mut r);
            stamp(&mut vals, "assigned_at", "assigned_by", at, sup);
            // rule C7: the handler's own working day from assignment, while the step is theirs
            if matches!(step, "investigate" | "propose") {
                let local = to_local(at, offset);
                let day = settings.calendar().add_working_days(local.date(), 1);
                put(&mut vals, "step_due_at", Value::Time(from_local(day.and_time(local.time()), offset)));
            }
        }
        if reached("propose") {
            for (k, v) in [
                ("cause", "配件型号错误"),
                ("course", "保养时误装"),
                ("responsible", "技师李某"),
                ("conclusion", "投诉成立"),
                ("measures", "返工并培训"),
            ] {
                put(&mut vals, k, Value::Text(v.into()));
            }
            stamp(&mut vals, "investigated_at", "investigated_by", tick(&mut r), handler);
        }
        if reached("approve") {
            put(&mut vals, "solution", Value::Text("免费返工并赠送保养一次".into()));
            put(&mut vals, "amount", Value::Money(if r.chance(40) { 100 * (100 + r.below(2000)) as i64 } else { 0 }));
            stamp(&mut vals, "proposed_at", "proposed_by", tick(&mut r), handler);
        }
        if reached("inform") {
            put(&mut vals, "approval", Value::Text("approved".into()));
            // rule C8: the general manager approves
            stamp(&mut vals, "approved_at", "approved_by", tick(&mut r), gm);
        }
        if reached("close") {
            let method = r.pick(complaint::INFORM);
            put(&mut vals, "inform_method", Value::Text(method.into()));
            // rule C8: told in writing, the writing is kept
            if method == "writing" {
                put(&mut vals, "written_reply", Value::Text("书面答复：已按方案处理，欢迎监督。".into()));
            }
            let at = tick(&mut r);
            put(&mut vals, "told_at", Value::Time(at));
            put(&mut vals, "reaction", Value::Text("客户接受".into()));
            stamp(&mut vals, "informed_at", "informed_by", at, desk[0]);
        }
        if step == "closed" {
            put(&mut vals, "satisfaction", Value::Text(if r.chance(80) { "satisfied" } else { "unsatisfied" }.into()));
            put(&mut vals, "summary", Value::Text("问题已解决".into()));
            put(&mut vals, "improvement", Value::Text("加强配件核对".into()));
            let closed = tick(&mut r);
            stamp(&mut vals, "closed_at", "closed_by", closed, desk[0]);
            // rule C11: a major case closed unreported says why
            if complaint::major_unreported(&vals) {
                put(&mut vals, "not_reported_reason", Value::Text("厂家要求另行书面报送".into()));
            }
            if complaint::needs_callback(&vals) && r.chance(80) {
                calls.push((base + 1 + i as i64, closed, vals.clone()));
            }
        }
        put(&mut vals, "step", Value::Text(step.into()));
        let c = Context { new: true, ..Context::new(received, offset) };
        (complaint::WORKFLOW.advanced)("", &mut vals, &c, &settings);
        rows.push((received, vals));
    }
    // each complaint written down by whoever received it, in the order received (runs of
    // one receiver at a time keep the numbers in that order)
    let mut run: Vec<(i64, Vec<Value>)> = Vec::new();
    let mut by = None;
    for row in rows {
        let receiver = complaint::REGISTER.value(&row.1, "received_by").as_i64().unwrap_or(admin);
        if by.is_some_and(|b| b != receiver) && !run.is_empty() {
            store.bulk_insert(
                by.unwrap_or(admin),
                &ctx,
                &complaint::REGISTER,
                &mut std::mem::take(&mut run).into_iter(),
            )?;
        }
        by = Some(receiver);
        run.push(row);
    }
    if !run.is_empty() {
        store.bulk_insert(by.unwrap_or(admin), &ctx, &complaint::REGISTER, &mut run.into_iter())?;
    }
    let numbers: std::collections::HashMap<i64, String> =
        store.numbers(&complaint::REGISTER, base + 1, base + n as i64)?.into_iter().collect();
    let mut cb_rows = Vec::new();
    for (id, closed, vals) in calls {
        let number = numbers.get(&id).cloned().unwrap_or_default();
        let due = closed + settings.int(crate::domain::settings::CALLBACK_COMPLAINT_DAYS) * 86_400;
        let about = format!(
            "{} · {}",
            complaint::REGISTER.value(&vals, "complainant").as_text().unwrap_or(""),
            complaint::REGISTER.value(&vals, "subject").as_text().unwrap_or("")
        );
        let mut cb = callback::scheduled(
            callback::Source {
                register: "complaint",
                number: &number,
                id,
                barred: [
                    complaint::REGISTER.value(&vals, "staff_complained"),
                    complaint::REGISTER.value(&vals, "staff_named"),
                ],
            },
            &about,
            complaint::REGISTER.value(&vals, "contact"),
            complaint::callback_role(&vals),
            due,
        );
        let put = |cb: &mut Vec<Value>, k: &str, v: Value| callback::REGISTER.set(cb, k, v);
        // most are made by their date; some run late, and the newest are still to do
        if if due < now { r.chance(75) } else { r.chance(30) } {
            let at = (closed + 86_400 + r.below(2 * 86_400) as i64).min(now);
            put(&mut cb, "called_at", Value::Time(at));
            put(&mut cb, "method", Value::Text("phone".into()));
            put(&mut cb, "satisfaction", Value::Int(2 + r.below(4) as i64));
            put(&mut cb, "comment", Value::Text("对处理结果满意".into()));
            put(&mut cb, "call_done_at", Value::Time(at));
            // rule F1: made by the role the case needs; rule F5: reviewed by another
            let caller = match complaint::callback_role(&vals) {
                Role::Manager => boss,
                Role::Supervisor => sup,
                _ => desk[0],
            };
            put(&mut cb, "call_by", Value::Ref(caller));
            let done = r.chance(50);
            if done {
                put(&mut cb, "review", Value::Text("ok".into()));
                put(&mut cb, "reviewed_at", Value::Time(at));
                put(&mut cb, "reviewed_by", Value::Ref(if caller == sup { boss } else { sup }));
            }
            put(&mut cb, "step", Value::Text(if done { "done" } else { "review" }.into()));
        }
        cb_rows.push((closed, cb));
    }
    let mut it = cb_rows.into_iter();
    // a case's callback is written down when the desk closes the case
    store.bulk_insert(desk[0], &ctx, &callback::REGISTER, &mut it)?;
    Ok(())
}

/// What repair slips are about: (item kind, brand and model, serial prefix, skill,
/// fault); the unit comes from `repair_unit`.
const REPAIR_JOBS: &[(&str, &str, &str, &str, &str)] = &[
    ("aircon", "格力 KFR-35GW", "GL", "hvac", "空调漏水，滴在地板上"),
    ("aircon", "Daikin FXMQ", "DK", "hvac", "Air conditioning not cooling"),
    ("plumbing", "", "", "plumbing", "厨房下水道堵塞"),
    ("plumbing", "", "", "plumbing", "卫生间水管渗水"),
    ("electrical", "", "", "electrical", "插座跳闸，无法供电"),
    ("electrical", "", "", "electrical", "照明灯不亮"),
    ("lift", "三菱 LEHY-III", "", "lift", "电梯门关不严，有异响"),
    ("appliance", "美的 F60-21WB5", "MD", "electronics", "热水器不出热水"),
    ("vehicle", "宝马 X5 xDrive30", "WBA", "vehicle", "保养后发动机异响"),
    ("device", "途强 GT06N 定位器", "SN-", "electronics", "定位器频繁掉线"),
];

/// Where a repair is: a flat, a shop, a car by its plate, a fleet's device.
fn repair_unit(r: &mut Rng, kind: &str) -> String {
    match kind {
        "vehicle" => format!("粤B{:05}", r.below(100_000)),
        "device" => format!("{}{}号车队", r.pick(STREETS), 1 + r.below(60)),
        "lift" => format!("{}号楼{}号电梯", 1 + r.below(12), 1 + r.below(4)),
        _ if r.chance(15) => format!("B座商铺{}", 101 + r.below(30)),
        _ => format!("{}号楼{}{:02}室", 1 + r.below(12), 1 + r.below(30), 1 + r.below(6)),
    }
}

/// An earlier demo slip a repeat comes back about: its unit, serial and job.
#[derive(Clone)]
struct Slip {
    unit: String,
    serial: String,
    job: (&'static str, &'static str, &'static str, &'static str, &'static str),
}

/// A month of repair slips up to now, in office hours, taken in at the desk through the
/// write path's checks (rules R1, R8, R9): about half booked, some urgent, one in six
/// about a unit or device repaired recently (a repeat within the set days).
pub fn repairs(store: &mut Store, n: usize, now: i64, offset: i32) -> Result<()> {
    use crate::domain::plan::{Actor, Change, Facts, plan};
    use crate::domain::repair;
    let (admin, _) = operators(store, now)?;
    let ops = store.operators()?;
    let desk: Vec<&crate::store::Operator> = ops.iter().filter(|o| o.roles.contains(&Role::Receptionist)).collect();
    if desk.is_empty() || n == 0 {
        return Ok(());
    }
    let settings = store.settings()?;
    let repeat_days = settings.int(crate::domain::settings::REPAIR_REPEAT_DAYS);
    let cards_n = store.count(&customer::REGISTER)?;
    let base = store.count(&repair::REGISTER)?;
    let ctx = Context::new(now, offset);
    let mut r = Rng::new(20_261_202);
    // the last few slips (what comes back), and the latest slip of each unit and serial
    let mut earlier: std::collections::VecDeque<Slip> = std::collections::VecDeque::new();
    let mut latest: std::collections::HashMap<String, (i64, i64)> = std::collections::HashMap::new();
    let mut rows: Vec<(i64, Vec<Value>)> = Vec::new();
    let mut by: Vec<i64> = Vec::new();
    let today = to_local(now, offset).date();
    for i in 0..n {
        // each day's slips in order through office hours (08:30 to 17:30); none ahead of now
        let per = n.div_ceil(30);
        let (back, j) = (29 - (i / per) as i64, i % per);
        let day = today - chrono::Duration::days(back);
        let slot = (9 * 60 / per).max(1);
        let minutes = (8 * 60 + 30 + j * 9 * 60 / per + r.below(slot)) as i64;
        let received = from_local(day.and_hms_opt(0, 0, 0).unwrap_or_default(), offset) + minutes * 60;
        if received > now {
            continue;
        }
        let again =
            if !earlier.is_empty() && r.chance(17) { earlier.get(r.below(earlier.len())).cloned() } else { None };
        let (unit, serial, job) = match again {
            Some(e) => (e.unit, e.serial, e.job),
            None => {
                let job = REPAIR_JOBS[r.below(REPAIR_JOBS.len())];
                let serial = if job.2.is_empty() {
                    String::new()
                } else {
                    format!("{}{:08}", job.2, r.next_u64() % 100_000_000)
                };
                (repair_unit(&mut r, job.0), serial, job)
            }
        };
        let (kind, model, _, skill, fault) = job;
        // the desk takes slips in by shifts of a few hours (and writes them down as one)
        let op = desk[(i / per.div_ceil(2).max(1)) % desk.len()];
        let bought_days = 30 + r.below(4 * 365) as i64;
        let bought = to_local(received - bought_days * 86_400, offset).date();
        let booked = r.chance(55);
        let start = to_local(received, offset).date() + chrono::Duration::days(1 + r.below(2) as i64);
        let from = from_local(start.and_hms_opt([9, 10, 14, 15][r.below(4)], 0, 0).unwrap_or_default(), offset);
        let (who, phone, card) = match (cards_n > 0 && r.chance(50)).then(|| 1 + r.below(cards_n as usize) as i64) {
            Some(id) => match store.get(&customer::REGISTER, id) {
                Ok(c) => {
                    let cv = |k| customer::REGISTER.value(&c.values, k).as_text().unwrap_or("").to_string();
                    let phone = cv("phones").split(',').next().unwrap_or("").to_string();
                    (cv("name"), phone, Value::Ref(id))
                }
                Err(_) => (name(&mut r), mobile(&mut r), Value::Null),
            },
            None => (name(&mut r), mobile(&mut r), Value::Null),
        };
        let keys = [format!("u:{unit}"), format!("s:{serial}")];
        let repeat = keys
            .iter()
            .filter(|k| k.len() > 2)
            .filter_map(|k| latest.get(k))
            .filter(|(_, at)| received - at <= repeat_days * 86_400)
            .map(|(id, _)| *id)
            .max()
            .map(Value::Ref);
        let sim =
            if kind == "device" { text(&format!("8986{:011}", r.next_u64() % 100_000_000_000)) } else { Value::Null };
        let vals = values(
            &repair::REGISTER,
            vec![
                ("step", text("received")),
                ("received_at", Value::Time(received)),
                ("channel", text(["phone", "phone", "walk_in", "hotline", "web"][r.below(5)])),
                ("urgency", text(if r.chance(15) { "urgent" } else { "normal" })),
                ("reporter", Value::Text(who)),
                ("contact", text(&phone)),
                ("unit", text(&unit)),
                ("customer_id", card),
                ("item_kind", text(kind)),
                ("brand_model", text(model)),
                ("serial", text(&serial)),
                ("sim", sim),
                ("purchase_date", Value::Date(chrono::Datelike::num_days_from_ce(&bought))),
                ("fault", text(fault)),
                ("skill", text(skill)),
                ("appointment_from", if booked { Value::Time(from) } else { Value::Null }),
                ("appointment_to", if booked { Value::Time(from + 2 * 3600) } else { Value::Null }),
                ("received_by", Value::Ref(op.id)),
                ("repeat_of", repeat.unwrap_or(Value::Null)),
            ],
        );
        // the desk's own save, judged as it would have been when the slip was taken in
        let who = Actor { id: op.id, name: &op.name, roles: &op.roles, department: op.department_id };
        let at = Context { new: true, ..Context::new(received, offset) };
        let Ok(p) = plan(&repair::REGISTER, Change::Create(vals), who, &settings, &at, Facts::default()) else {
            continue;
        };
        let id = base + 1 + rows.len() as i64;
        for k in keys.into_iter().filter(|k| k.len() > 2) {
            latest.insert(k, (id, received));
        }
        earlier.push_back(Slip { unit, serial, job });
        if earlier.len() > 12 {
            earlier.pop_front();
        }
        rows.push((received, p.values));
        by.push(op.id);
    }
    // each slip written down by whoever took it in, in order (runs keep the numbers in order)
    let mut run: Vec<(i64, Vec<Value>)> = Vec::new();
    let mut taker = None;
    for (row, op) in rows.into_iter().zip(by) {
        if taker.is_some_and(|w| w != op) && !run.is_empty() {
            let mut batch = std::mem::take(&mut run).into_iter();
            store.bulk_insert(taker.unwrap_or(admin), &ctx, &repair::REGISTER, &mut batch)?;
        }
        taker = Some(op);
        run.push(row);
    }
    if !run.is_empty() {
        store.bulk_insert(taker.unwrap_or(admin), &ctx, &repair::REGISTER, &mut run.into_iter())?;
    }
    Ok(())
}
