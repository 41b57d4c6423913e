//! What the operator sees: screens rendered to a test backend, in Chinese and English,
//! at 80x24 and larger, kept as insta snapshots.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::{Role, Value, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::Model;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

fn render(m: &mut Model, w: u16, h: u16) -> Terminal<TestBackend> {
    m.resize(w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| frontdesk::ui::draw(f, m)).unwrap();
    t
}

fn screen(m: &mut Model, w: u16, h: u16) -> String {
    render(m, w, h).backend().to_string()
}

fn with_visitors(lang: Lang) -> Model {
    let mut s = store_with(None, DESK);
    let rows = [
        ("王芳", "13812345678", "咨询三楼办公室租赁", "B", true),
        ("欧阳娜娜", "", "送合同文件给销售部", "D", false),
        ("James Smith", "13900001111", "Lease enquiry for the 12th floor", "C", false),
        ("张伟", "01065521234", "车辆保养预约，取回行驶证", "A", false),
    ];
    for (i, (name, phone, purpose, class, intent)) in rows.iter().enumerate() {
        let mut v = visitor(name, phone, purpose);
        v[visitor::REGISTER.index("occurred_at").unwrap()] = Value::Time(NOW - 3600 * (4 - i as i64));
        v[visitor::REGISTER.index("visitor_class").unwrap()] = text(class);
        v[visitor::REGISTER.index("intent").unwrap()] = Value::Bool(*intent);
        s.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap();
    }
    s.void(2, &ctx(), &visitor::REGISTER, 2, 1, "重复登记").unwrap();
    let mut m = model(s, lang);
    login(&mut m, "desk1", "pass123");
    m.status = None;
    m
}

#[test]
fn login_screen_of_the_demo_in_chinese_at_80x24() {
    let mut m = model(store_with(None, DESK), Lang::Zh);
    m.demo = true;
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn first_run_setup_at_80x24() {
    let mut m = model(frontdesk::store::Store::open_in_memory().unwrap(), Lang::En);
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn visitor_register_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn visitor_register_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn today_in_chinese_at_120x32() {
    let mut m = with_visitors(Lang::Zh);
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn a_refused_visitor_form_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "phone");
    type_text(&mut m, "12ab");
    m.on_key(ctrl('s'));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn a_visitor_form_with_its_budget_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    type_text(&mut m, "李雷");
    focus(&mut m, "visitor_class");
    type_text(&mut m, "a");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "6");
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn the_cursor_sits_at_the_caret_after_wide_characters() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    let mut t = render(&mut m, 80, 24);
    let empty = t.get_cursor_position().unwrap();
    type_text(&mut m, "王小");
    t.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    let after = t.get_cursor_position().unwrap();
    assert_eq!(after.y, empty.y);
    assert_eq!(after.x, empty.x + 4, "two CJK characters are four columns");
    type_text(&mut m, "a");
    m.on_key(key(KeyCode::Left));
    m.on_key(key(KeyCode::Left));
    t.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    assert_eq!(t.get_cursor_position().unwrap().x, empty.x + 2);
}

#[test]
fn type_ahead_offers_cards_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("欧阳娜娜", "13700001111")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    type_text(&mut m, "欧阳");
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn search_by_one_character_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "/王");
    search_settles(&mut m);
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn help_fits_80x24() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn help_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn help_of_the_intake_list_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::F(1)));
    let s = screen(&mut m, 80, 24);
    assert!(!s.contains("Ctrl-D") && !s.contains("标记已报送"), "only the list's own keys");
    insta::assert_snapshot!(s);
}

#[test]
fn help_of_a_visitor_form_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    m.on_key(key(KeyCode::F(1)));
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("切换选项") && s.contains("换行"), "how the fields are worked");
    insta::assert_snapshot!(s);
}

#[test]
fn every_keymap_problem_is_listed_in_chinese_at_80x24() {
    let src = "[[list]]\non = [\"Ctrl+N\"]\nrun = \"new\"\n\
               [[global]]\non = [\"F2\"]\nrun = \"lock\"\n\
               [[form]]\non = [\"C-s\"]\nrun = \"explode\"\n";
    let (map, problems) = frontdesk::keymap::Keymap::load(Some(src));
    let mut m = Model::new(store_with(None, DESK), frontdesk::i18n::I18n::new(Lang::Zh), map, NOW, OFFSET);
    m.keymap_problems(&problems);
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("Ctrl+N") && s.contains("explode") && s.contains("F2"), "each problem is named");
    insta::assert_snapshot!(s);
}

#[test]
fn the_top_bar_and_the_key_bar_follow_the_keymap() {
    let src = "[[global]]\non = [\"F12\"]\nrun = \"today\"\n[[list]]\non = [\"a\"]\nrun = \"new\"\n";
    let (map, problems) = frontdesk::keymap::Keymap::load(Some(src));
    assert!(problems.is_empty());
    let mut m = Model::new(store_with(None, DESK), frontdesk::i18n::I18n::new(Lang::Zh), map, NOW, OFFSET);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    let s = screen(&mut m, 80, 24);
    let lines: Vec<&str> = s.lines().collect();
    assert!(lines[1].contains("F12 今日") && !lines[1].contains("F2 今日"), "{}", lines[1]);
    assert!(lines[23].contains("a 新建"), "{}", lines[23]);
}

#[test]
fn the_lock_screen_shows_nothing_of_the_register() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(ctrl('l'));
    let s = screen(&mut m, 80, 24);
    assert!(!s.contains("王芳 ") || !s.contains("1381"), "no register data while locked");
    assert!(!s.contains("欧阳娜娜") && !s.contains("James Smith"));
    insta::assert_snapshot!(s);
}

#[test]
fn a_terminal_below_80x24_says_so() {
    let mut m = with_visitors(Lang::En);
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1)] {
        let s = screen(&mut m, w, h);
        if w >= 20 {
            assert!(s.contains("needs") || s.contains("frontdesk"), "{s}");
        }
    }
    insta::assert_snapshot!(screen(&mut m, 60, 20));
}

#[test]
fn admin_settings_in_chinese_at_120x32() {
    let mut m = model(store_with(None, &[]), Lang::Zh);
    login(&mut m, "admin", "admin123");
    m.on_key(key(KeyCode::F(8)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    m.status = None;
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn a_conflict_shows_their_value_and_mine() {
    let (_d, path) = temp_db();
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Receptionist]), ("desk2", "李娜", &[Role::Receptionist])];
    let mut a = model(store_with(Some(&path), ops), Lang::Zh);
    let mut b = model(frontdesk::store::Store::open(&path).unwrap(), Lang::Zh);
    a.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    login(&mut a, "desk1", "pass123");
    login(&mut b, "desk2", "pass123");
    for m in [&mut a, &mut b] {
        m.on_key(key(KeyCode::F(3)));
        m.on_key(key(KeyCode::Tab));
        m.on_key(key(KeyCode::Enter));
    }
    focus(&mut a, "address");
    type_text(&mut a, "深南大道1号");
    a.on_key(ctrl('s'));
    focus(&mut b, "address");
    type_text(&mut b, "人民路8号");
    b.on_key(ctrl('s'));
    insta::assert_snapshot!(screen(&mut b, 120, 32));
}

#[test]
fn ascii_borders_and_no_colour() {
    let mut m = with_visitors(Lang::Zh);
    m.ascii = true;
    m.color = false;
    m.on_key(key(KeyCode::F(3)));
    let t = render(&mut m, 80, 24);
    let s = t.backend().to_string();
    assert!(s.contains("+--") && !s.contains('┌'));
    let buf = t.backend().buffer();
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset));
}

/// 2026-12-05 10:15 at UTC+8: November has ended and its report is due.
const DEC5: i64 = NOW + 8 * 86_400;

/// An office's November complaints, across its departments (rule C13's statistics).
fn office_with_november(lang: Lang) -> frontdesk::model::Model {
    use frontdesk::domain::{callback, complaint};
    let ops: &[(&str, &str, &[Role])] = &[
        ("wangfang", "王芳", &[Role::Receptionist]),
        ("zhangqiang", "张强", &[Role::Supervisor]),
        ("chenzong", "陈总", &[Role::Manager, Role::Supervisor]),
        ("liugong", "刘工", &[Role::Dispatcher]),
    ];
    let mut s = store_with(None, ops);
    let deps: Vec<i64> = ["前台", "销售部", "售后服务部", "工程部", "档案室", "总经理办公室", "市场部"]
        .iter()
        .map(|n| s.add_department(1, NOW, n).unwrap())
        .collect();
    let day = 86_400;
    // (days before NOW received, department, handler, step, days to finish, category)
    type Case = (i64, usize, i64, &'static str, Option<i64>, &'static str);
    let cases: &[Case] = &[
        (25, 2, 5, "closed", Some(3), "repair"),
        (24, 2, 5, "closed", Some(9), "repair"),
        (22, 1, 3, "closed", Some(2), "contract"),
        (20, 0, 2, "rejected", Some(1), "service"),
        (18, 3, 5, "closed", Some(4), "product"),
        (16, 5, 4, "closed", Some(2), "service"),
        (15, 4, 3, "rejected", Some(10), "suggestion"),
        (12, 2, 5, "investigate", None, "repair"),
        (9, 1, 3, "closed", Some(5), "contract"),
        (3, 3, 5, "investigate", None, "product"),
        (2, 6, 4, "decide", None, "service"),
        (1, usize::MAX, 2, "decide", None, "suggestion"),
    ];
    let mut ids = Vec::new();
    for (ago, dep, handler, step, done, category) in cases {
        let received = NOW - ago * day;
        let mut v = values(
            &complaint::REGISTER,
            &[
                ("received_at", Value::Time(received)),
                ("channel", text("phone")),
                ("complainant", text("胡娜")),
                ("contact", text("13812345678")),
                ("subject", text("宝马X5 粤B12345")),
                ("category", text(category)),
                ("content", text("保养后发动机异响")),
                ("request", text("answer")),
                ("department_id", deps.get(*dep).map(|d| Value::Ref(*d)).unwrap_or(Value::Null)),
                ("handler_id", Value::Ref(*handler)),
                ("case_due_at", Value::Time(received + 7 * day)),
                ("step", text(step)),
            ],
        );
        let at = done.map(|d| received + d * day);
        let field = if *step == "rejected" { "decided_at" } else { "closed_at" };
        if let Some(at) = at {
            v[complaint::REGISTER.index(field).unwrap()] = Value::Time(at);
        }
        if *ago == 22 {
            v[complaint::REGISTER.index("major").unwrap()] = text("media");
            v[complaint::REGISTER.index("major_at").unwrap()] = Value::Time(received);
            v[complaint::REGISTER.index("reported_at").unwrap()] = Value::Time(received + 3600);
        }
        let id = s.insert(1, &Context::new(received, OFFSET), &complaint::REGISTER, &v).unwrap().0;
        ids.push((id, at));
    }
    // callbacks: two within 3 days of closing, one late (rule F1)
    for (n, after) in [(0usize, 1i64), (2, 2), (4, 6)] {
        let (id, closed) = ids[n];
        let call = closed.unwrap() + after * day;
        let cb = values(
            &callback::REGISTER,
            &[
                ("step", text("review")),
                ("source_register", text("complaint")),
                ("source_id", Value::Int(id)),
                ("by_role", text("receptionist")),
                ("called_at", Value::Time(call)),
                ("call_done_at", Value::Time(call)),
                ("method", text("phone")),
                ("satisfaction", Value::Int(4)),
            ],
        );
        s.insert(2, &Context::new(call, OFFSET), &callback::REGISTER, &cb).unwrap();
    }
    let mut m = frontdesk::model::Model::new(
        s,
        frontdesk::i18n::I18n::new(lang),
        frontdesk::keymap::Keymap::default_map(),
        DEC5,
        OFFSET,
    );
    login(&mut m, "chenzong", "pass123");
    m
}

#[test]
fn reports_of_a_month_not_submitted_in_english_at_80x24() {
    let mut m = office_with_november(Lang::En);
    m.on_key(key(KeyCode::F(7)));
    press(&mut m, &[KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    m.status = None;
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("Complaint statistics 2026-11") && s.contains("not submitted yet"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn reports_submit_asks_first_in_chinese_at_80x24() {
    let mut m = office_with_november(Lang::Zh);
    m.on_key(key(KeyCode::F(7)));
    type_text(&mut m, "s");
    m.status = None;
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("报送 2026-11 投诉统计表") && s.contains("Esc 或 n = 取消"), "{s}");
    insta::assert_snapshot!(s);
}

/// The by-department table of a submitted month after a later change: the frozen
/// figures, who submitted, what changed, and the columns scrolled to the cursor.
#[test]
fn reports_by_department_of_a_submitted_month_in_chinese_at_80x24() {
    use frontdesk::domain::complaint;
    let mut m = office_with_november(Lang::Zh);
    m.on_key(key(KeyCode::F(7)));
    type_text(&mut m, "y"); // nothing asked yet: ignored
    type_text(&mut m, "s");
    type_text(&mut m, "y");
    assert!(m.store.submission("complaints", "2026-11").unwrap().is_some_and(|s| s.figures.is_some()));
    // later: the open case at 售后服务部 is closed
    let rec = m.store.get(&complaint::REGISTER, 8).unwrap();
    let mut v = rec.values.clone();
    v[complaint::REGISTER.index("step").unwrap()] = text("closed");
    v[complaint::REGISTER.index("closed_at").unwrap()] = Value::Time(DEC5);
    m.store.update(1, &Context::new(DEC5, OFFSET), &complaint::REGISTER, &rec, &v).unwrap();
    m.on_key(key(KeyCode::F(4)));
    m.on_key(key(KeyCode::F(7)));
    press(&mut m, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    press(&mut m, &[KeyCode::Right; 8]);
    m.status = None;
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("已由 陈总 于 2026-12-05 10:15 报送"), "{s}");
    assert!(s.contains("报送后有变化：已解决 6 → 7"), "{s}");
    assert!(s.contains("总经理办公室") && s.contains('◀'), "scrolled to the last department: {s}");
    assert_eq!(s.matches("重大投诉").count(), 1, "one row per label: {s}");
    insta::assert_snapshot!(s);
}

#[test]
fn today_with_more_visitors_than_one_page_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    for i in 0..20 {
        let mut v = visitor(&format!("来宾{i:02}"), "", "参观样板间");
        v[0] = Value::Time(NOW - 1800 + i * 60);
        m.store.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap();
    }
    m.on_key(key(KeyCode::F(2)));
    let s = screen(&mut m, 80, 24);
    // three current ones from before, twenty more: the day's count, not the page's
    assert!(s.contains("今日来访来电（23）"), "{s}");
    assert!(s.contains("来宾19"), "the newest on top");
    assert!(s.contains("PgUp/PgDn"), "the rest is said to be there");
    insta::assert_snapshot!(s);
}

#[test]
fn customer_cards_with_cut_phones_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    let cards = [
        ("欧阳建国", "上海远大集团有限公司", "13912345678,02162881234,18611112222"),
        ("John Smith", "Smith & Partners Ltd", "18600001111,+498938200"),
        ("黄刚", "", "02162881234x801"),
    ];
    for (name, org, phones) in cards {
        let mut c = card(name, phones);
        c[frontdesk::domain::customer::REGISTER.index("organisation").unwrap()] =
            if org.is_empty() { Value::Null } else { text(org) };
        c[frontdesk::domain::customer::REGISTER.index("grade").unwrap()] = text("B");
        m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &c).unwrap();
    }
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    let s = screen(&mut m, 80, 24);
    for line in s.lines() {
        // a phone is whole, or cut with "…"; never a fragment like "186 0000 1"
        assert!(!line.contains("186 1111 2 ") && !line.contains("1861111"), "{line}");
    }
    assert!(s.contains("139 1234 5678…") || s.contains("139 1234 5678, …"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_phone_call_shows_no_hospitality_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "channel");
    type_text(&mut m, "p");
    focus(&mut m, "name");
    type_text(&mut m, "欧阳建国");
    focus(&mut m, "visitor_class");
    type_text(&mut m, "a");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "6");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("‹ Phone ›"), "{s}");
    assert!(!s.contains("Budget") && !s.contains("Escorts") && !s.contains("Host"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn an_invalid_party_size_shows_no_figures_but_its_error() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "12");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("at least 3"), "{s}");
    for bad in ["0", "-3", "abc", "1000"] {
        m.on_key(ctrl('u'));
        type_text(&mut m, bad);
        let s = screen(&mut m, 120, 32);
        assert!(!s.contains("Budget") && !s.contains("Escorts"), "{bad}: {s}");
        assert!(s.contains("Party size:"), "{bad}: the field's error is shown: {s}");
    }
    m.on_key(ctrl('u'));
    type_text(&mut m, "5");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("× 5 = 750") && s.contains("Escorts needed: 2"), "follows what is typed now: {s}");
}

/// A card with `n` visits, the newest last; returns the visits' numbers, newest first.
fn card_with_visits(m: &mut Model, n: i64) -> Vec<String> {
    let c = &frontdesk::domain::customer::REGISTER;
    let (card_id, _) = m.store.insert(1, &ctx(), c, &card("欧阳建国", "13912345678")).unwrap();
    let mut numbers: Vec<String> = (0..n)
        .map(|i| {
            let mut v = visitor("欧阳建国", "13912345678", &format!("第{i}次看房"));
            v[0] = Value::Time(NOW - 86_400 * (n - i));
            v[visitor::REGISTER.index("customer_id").unwrap()] = Value::Ref(card_id);
            m.store.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap().1
        })
        .collect();
    numbers.reverse();
    numbers
}

#[test]
fn a_cards_history_shows_what_fits_scrolls_and_opens_a_visit() {
    let mut m = with_visitors(Lang::Zh);
    let visits = card_with_visits(&mut m, 12);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let s = screen(&mut m, 80, 24);
    let shown = s.lines().filter(|l| l.contains("V-2026-")).count();
    assert!(shown >= 3, "more than one line at 80x24: {s}");
    assert!(s.contains("往来记录（12）"), "{s}");
    assert!(s.contains("第11次看房") && s.contains("接待人 管理员"), "purpose and who served: {s}");
    assert!(s.contains("还有"), "what is not shown is said: {s}");

    // Tab past the last field: the history has the keyboard; ↓ scrolls it
    for _ in 0..30 {
        if m.desk().unwrap().form().unwrap().related_at.is_some() {
            break;
        }
        m.on_key(key(KeyCode::Tab));
    }
    assert_eq!(m.desk().unwrap().form().unwrap().related_at, Some(0));
    type_text(&mut m, "zz");
    assert!(!m.desk().unwrap().form().unwrap().dirty, "typing in the history changes no field");
    for _ in 0..11 {
        m.on_key(key(KeyCode::Down));
    }
    let s = screen(&mut m, 80, 24);
    assert!(s.contains(&visits[11]), "the oldest visit scrolled into view: {s}");
    assert!(!s.contains(&format!("{} ", visits[0])), "the newest scrolled out: {s}");
    insta::assert_snapshot!(s);

    // Enter opens that visit in the register
    m.on_key(key(KeyCode::Enter));
    let d = m.desk().unwrap();
    assert_eq!(d.view().unwrap().def.name, "visitor");
    assert_eq!(d.form().unwrap().base.as_ref().unwrap().number, visits[11]);
    // and the card is still open in its tab
    m.on_key(key(KeyCode::Esc));
    m.on_key(key(KeyCode::Tab));
    assert!(m.desk().unwrap().form().is_some_and(|f| f.name == "customer"));
}

#[test]
fn a_cards_history_at_160x45_has_room_for_every_visit() {
    let mut m = with_visitors(Lang::En);
    let visits = card_with_visits(&mut m, 12);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let s = screen(&mut m, 160, 45);
    for v in &visits {
        assert!(s.contains(v.as_str()), "{v}: {s}");
    }
}

#[test]
fn a_visit_in_a_cards_history_opens_only_for_who_may_see_the_register() {
    let ops: &[(&str, &str, &[Role])] = &[("fix1", "刘工", &[Role::Dispatcher])];
    let mut s = store_with(None, ops);
    let c = &frontdesk::domain::customer::REGISTER;
    let (card_id, _) = s.insert(1, &ctx(), c, &card("欧阳建国", "13912345678")).unwrap();
    let mut v = visitor("欧阳建国", "13912345678", "看房");
    v[visitor::REGISTER.index("customer_id").unwrap()] = Value::Ref(card_id);
    s.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    let mut m = model(s, Lang::Zh);
    login(&mut m, "fix1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().expect("the card opens");
    if !f.related.is_empty() {
        m.desk_mut().unwrap().form_mut().unwrap().related_at = Some(0);
        m.on_key(key(KeyCode::Enter));
        let d = m.desk().unwrap();
        assert_eq!(d.form().map(|f| f.name), Some("customer"), "no visitor record opened");
        assert!(m.status.as_ref().is_some_and(|s| s.level == frontdesk::model::Level::Error));
    }
}

#[test]
fn list_headings_are_never_cut_alike_in_either_language_at_80_and_160() {
    for lang in [Lang::Zh, Lang::En] {
        let mut m = with_visitors(lang);
        m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("黄刚", "13912345678")).unwrap();
        m.on_key(key(KeyCode::F(3)));
        for tab in 0..2 {
            for (w, h) in [(80, 24), (160, 45)] {
                let s = screen(&mut m, w, h);
                let head = s
                    .lines()
                    .find(|l| l.starts_with("\"│") && (l.contains("编号") || l.contains("Number")))
                    .expect("a heading row");
                let head = head.split('"').nth(1).unwrap_or(head).trim_matches('│');
                let cells: Vec<&str> = head.split_whitespace().collect();
                assert!(!head.contains('…'), "{lang:?} tab {tab} at {w}: {head}");
                let mut seen = cells.clone();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), cells.len(), "{lang:?} tab {tab} at {w}: {head}");
            }
            m.on_key(key(KeyCode::Tab));
        }
        // and the repair slips of F5
        let r = &frontdesk::domain::repair::REGISTER;
        let mut slip = vec![frontdesk::domain::Value::Null; r.fields.len()];
        for (k, x) in [
            ("step", "received"),
            ("channel", "phone"),
            ("urgency", "normal"),
            ("reporter", "黄刚"),
            ("contact", "13912345678"),
            ("unit", "3号楼1201室"),
            ("item_kind", "aircon"),
            ("fault", "漏水"),
            ("skill", "hvac"),
        ] {
            r.set(&mut slip, k, frontdesk::domain::Value::Text(x.into()));
        }
        r.set(&mut slip, "received_at", frontdesk::domain::Value::Time(NOW - 3600));
        m.store.insert(1, &ctx(), r, &slip).unwrap();
        m.on_key(key(KeyCode::F(5)));
        for (w, h) in [(80, 24), (160, 45)] {
            let s = screen(&mut m, w, h);
            let head = s.lines().find(|l| l.starts_with("\"│") && (l.contains("编号") || l.contains("Number")));
            let head = head.unwrap_or_else(|| panic!("a heading row: {s}"));
            assert!(!head.contains('…'), "{lang:?} F5 at {w}: {head}");
        }
    }
}

/// The after-sales office: a receptionist, the department's supervisor and manager
/// (售后服务部), a handler, and the general manager.
const STAFF: &[(&str, &str, &[Role])] = &[
    ("desk1", "王芳", &[Role::Receptionist]),
    ("super", "张强", &[Role::Supervisor]),
    ("boss", "陈总", &[Role::Manager, Role::Supervisor]),
    ("fix1", "刘工", &[Role::Dispatcher]),
    ("fix2", "赵师傅", &[Role::Dispatcher]),
    ("gm", "周总", &[Role::GeneralManager]),
];

/// Operator ids as `store_with` gives them: the administrator is 1.
const DESK1: i64 = 2;
const SUPER: i64 = 3;
const FIX1: i64 = 5;

/// A complaint received `hours` before NOW at the given step, with more values; its
/// rank is what the rules give it (rules C11, C17).
fn complaint_case(hours: i64, step: &str, who: &str, subject: &str, more: &[(&str, Value)]) -> Vec<Value> {
    use frontdesk::domain::complaint;
    let received = NOW - hours * 3600;
    let mut v = values(
        &complaint::REGISTER,
        &[
            ("received_at", Value::Time(received)),
            ("channel", text("phone")),
            ("complainant", text(who)),
            ("contact", text("13812345678")),
            ("subject", text(subject)),
            ("category", text("repair")),
            ("content", text("保养后发动机异响，返修两次仍未解决")),
            ("request", text("compensation")),
            ("received_by", Value::Ref(DESK1)),
            ("key_customer", Value::Bool(false)),
            ("case_due_at", Value::Time(received + 7 * 86_400)),
            ("step_due_at", Value::Time(received + 7 * 86_400)),
            ("step", text(step)),
        ],
    );
    for (k, val) in more {
        complaint::REGISTER.set(&mut v, k, val.clone());
    }
    complaint::rank(&mut v);
    v
}

/// The steps up to the handler's: decided by the desk, assigned by 张强 to 刘工 at
/// 售后服务部 `hours` before NOW, the handler's working day ending `due` hours after.
fn assigned(dept: i64, hours: i64, due: i64) -> Vec<(&'static str, Value)> {
    let at = NOW - hours * 3600;
    vec![
        ("decision", text("stands")),
        ("decision_reason", text("属实：维修质量问题")),
        ("decided_at", Value::Time(at - 3600)),
        ("decided_by", Value::Ref(DESK1)),
        ("department_id", Value::Ref(dept)),
        ("handler_id", Value::Ref(FIX1)),
        ("assigned_at", Value::Time(at)),
        ("assigned_by", Value::Ref(SUPER)),
        ("step_due_at", Value::Time(at + due * 3600)),
    ]
}

/// The office's complaints, oldest first: a major case not yet reported upward and a key
/// customer's case (both pinned above newer ones), a case past its 7 days, cases at
/// other steps, one closed. Logged in as `code`.
fn office_with_complaints(lang: Lang, code: &str) -> Model {
    use frontdesk::domain::complaint;
    let mut s = store_with(None, STAFF);
    let dept = s.add_department(1, NOW, "售后服务部").unwrap();
    for code in ["super", "boss"] {
        let mut op = s.operator_by_code(code).unwrap().unwrap();
        op.department_id = Some(dept);
        s.update_operator(1, NOW, &op).unwrap();
    }
    let major_at = NOW - 30 * 3600;
    let mut cases = vec![
        // C-1: a media case raised 30 hours ago, not reported: pinned, its 24 hours past
        complaint_case(
            50,
            "decide",
            "欧阳建国",
            "宝马X5 粤B12345",
            &[
                ("major", text("media")),
                ("major_at", Value::Time(major_at)),
                ("major_due_at", Value::Time(major_at + 24 * 3600)),
            ],
        ),
        // C-2: a key customer's fleet
        complaint_case(
            20,
            "assign",
            "大客户张总",
            "车队保养延误交车",
            &[
                ("contact", text("13900009999")),
                ("key_customer", Value::Bool(true)),
                ("decision", text("stands")),
                ("decided_at", Value::Time(NOW - 19 * 3600)),
                ("decided_by", Value::Ref(DESK1)),
            ],
        ),
    ];
    // C-3: nine days old, the handler's report two days late: overdue
    let mut late = assigned(dept, 8 * 24, 24);
    late.push(("contact", text("13700001111")));
    late.push(("category", text("product")));
    cases.push(complaint_case(9 * 24, "investigate", "李四", "奥迪A6 空调不制冷", &late));
    // C-4: the handler's working day runs today
    let mut today = assigned(dept, 20, 24);
    today.push(("contact", text("13600002222")));
    cases.push(complaint_case(26, "investigate", "James Smith", "BMW 530Li rattle", &today));
    // C-5: a solution waiting for approval
    let mut approve = assigned(dept, 60, 24);
    approve.extend([
        ("contact", text("13500003333")),
        ("category", text("service")),
        ("solution", text("免费返工，赠送一次保养")),
        ("amount", Value::Money(80_000)),
        ("proposed_at", Value::Time(NOW - 40 * 3600)),
        ("proposed_by", Value::Ref(FIX1)),
    ]);
    cases.push(complaint_case(70, "approve", "黄刚", "奔驰C200 服务态度", &approve));
    // C-6: closed
    cases.push(complaint_case(
        6 * 24,
        "closed",
        "赵六",
        "物业费收费不透明",
        &[
            ("contact", text("13400004444")),
            ("category", text("contract")),
            ("closed_at", Value::Time(NOW - 24 * 3600)),
            ("satisfaction", text("satisfied")),
        ],
    ));
    for v in &cases {
        s.insert(
            DESK1,
            &Context::new(complaint::REGISTER.value(v, "received_at").as_i64().unwrap(), OFFSET),
            &complaint::REGISTER,
            v,
        )
        .unwrap();
    }
    let mut m = model(s, lang);
    login(&mut m, code, "pass123");
    m.on_key(key(KeyCode::F(4)));
    m.status = None;
    m
}

/// The list's numbers, top to bottom, as shown.
fn numbers_shown(s: &str) -> Vec<String> {
    s.lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.contains("C-2026-"))
                .map(|w| w.trim_matches(['"', '│', '!', '*']).to_string())
        })
        .collect()
}

#[test]
fn complaints_pinned_major_and_key_customer_first_in_chinese_at_80x24() {
    let mut m = office_with_complaints(Lang::Zh, "desk1");
    let s = screen(&mut m, 80, 24);
    let order = numbers_shown(&s);
    assert_eq!(
        order,
        ["C-2026-000001", "C-2026-000002", "C-2026-000005", "C-2026-000004", "C-2026-000003"],
        "the open cases: the unreported major case, then the key customer's, then the newest: {s}"
    );
    // the clock column holds its longest text whole
    assert!(s.contains("超时1天12小时 ") && s.contains("超时6小时0分 ") && s.contains("超时7天 "), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn complaints_with_their_clocks_in_english_at_120x32() {
    let mut m = office_with_complaints(Lang::En, "desk1");
    let s = screen(&mut m, 120, 32);
    assert_eq!(numbers_shown(&s).len(), 5, "the open cases: {s}");
    assert!(s.contains("overdue 1d12h ") && s.contains("4h0m left ") && s.contains("6d4h left "), "{s}");
    insta::assert_snapshot!(s);
}

/// Opens the complaint `number` from the list.
fn open_case(m: &mut Model, number: &str) {
    m.on_key(key(KeyCode::Home));
    for _ in 0..50 {
        let d = m.desk().unwrap();
        if d.view().unwrap().list.current().is_some_and(|r| r.number == number) {
            m.on_key(key(KeyCode::Enter));
            assert!(m.desk().unwrap().form().is_some(), "{number} opens");
            return;
        }
        m.on_key(key(KeyCode::Down));
    }
    panic!("{number} not in the list");
}

/// Focuses a field, clears it and types.
fn fill_in(m: &mut Model, field: &str, s: &str) {
    focus(m, field);
    m.on_key(ctrl('u'));
    type_text(m, s);
}

/// The handler's five parts of the report (rule C6).
fn report(m: &mut Model) {
    fill_in(m, "cause", "空调压缩机继电器老化");
    fill_in(m, "course", "11月18日进店，当日检测未发现");
    fill_in(m, "responsible", "技师李某");
    fill_in(m, "conclusion", "配件质量问题成立");
    fill_in(m, "measures", "更换继电器并复检");
}

/// The errors at the lateness fields of the open form (rule C18).
fn late_errors(m: &Model) -> [Option<&'static str>; 2] {
    let f = m.desk().unwrap().form().unwrap();
    ["late_reason", "late_target"].map(|k| f.values[f.index(k).unwrap()].error.as_ref().map(|e| e.key))
}

#[test]
fn a_late_investigation_in_chinese_at_80x24() {
    let mut m = office_with_complaints(Lang::Zh, "fix1");
    open_case(&mut m, "C-2026-000003");
    report(&mut m);
    m.on_key(ctrl('s'));
    assert_eq!(late_errors(&m), [Some("err.late.reason"), Some("err.late.target")]);
    focus(&mut m, "late_reason");
    m.status = None;
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("当前步骤：调查  本步期限 超时7天"), "the step and its clock beside the form: {s}");
    assert!(s.contains("超时原因") && s.contains("新目标时间"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_late_investigation_in_english_at_120x32() {
    let mut m = office_with_complaints(Lang::En, "fix1");
    open_case(&mut m, "C-2026-000003");
    report(&mut m);
    m.on_key(ctrl('s'));
    assert_eq!(late_errors(&m), [Some("err.late.reason"), Some("err.late.target")]);
    focus(&mut m, "late_reason");
    m.status = None;
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("Step: Investigation  Step target: overdue 7d"), "the step and its clock beside the form: {s}");
    assert!(s.contains("Why late") && s.contains("New target") && s.contains("say why (rule C18)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn callbacks_due_and_to_review_in_chinese_at_80x24() {
    use frontdesk::domain::callback;
    let mut m = office_with_complaints(Lang::Zh, "desk1");
    // (step, due hours from NOW, source number, id, about, contact, role)
    let calls: &[(&str, i64, &str, i64, &str, &str, &str)] = &[
        ("call", 48, "C-2026-000006", 6, "物业费收费不透明", "13400004444", "receptionist"),
        ("call", -5, "C-2026-000006", 6, "空调也有异响", "13400004444", "receptionist"),
        ("review", -30, "C-2026-000003", 3, "奥迪A6 空调不制冷", "13700001111", "manager"),
    ];
    for (step, due, source, id, about, contact, role) in calls {
        let mut v = values(
            &callback::REGISTER,
            &[
                ("step", text(step)),
                ("due_at", Value::Time(NOW + due * 3600)),
                ("source", text(source)),
                ("source_register", text("complaint")),
                ("source_id", Value::Int(*id)),
                ("about", text(about)),
                ("contact", text(contact)),
                ("by_role", text(role)),
            ],
        );
        if *step == "review" {
            callback::REGISTER.set(&mut v, "called_at", Value::Time(NOW - 26 * 3600));
            callback::REGISTER.set(&mut v, "call_done_at", Value::Time(NOW - 26 * 3600));
            callback::REGISTER.set(&mut v, "method", text("phone"));
            callback::REGISTER.set(&mut v, "satisfaction", Value::Int(4));
        }
        m.store.insert(1, &ctx(), &callback::REGISTER, &v).unwrap();
    }
    m.on_key(key(KeyCode::Tab));
    m.status = None;
    let s = screen(&mut m, 80, 24);
    assert!(s.contains("筛选: 待回访"), "the desk's list opens on the calls to make: {s}");
    assert!(s.contains("超时5小时0分") && s.contains("剩2天0小时"), "each call's clock: {s}");
    assert!(!s.contains("奥迪A6"), "a call waiting for review is not the desk's to make: {s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_repeat_shows_its_similar_cases_and_the_chosen_one_in_chinese_at_120x32() {
    use frontdesk::domain::complaint;
    let mut m = office_with_complaints(Lang::Zh, "desk1");
    // C-7: the same customer's second case, newer than C-1
    let second = complaint_case(3, "decide", "欧阳建国", "宝马X5 粤B12345 雨刮", &[]);
    m.store.insert(DESK1, &Context::new(NOW - 3 * 3600, OFFSET), &complaint::REGISTER, &second).unwrap();
    m.on_key(key(KeyCode::F(4)));
    type_text(&mut m, "n");
    fill_in(&mut m, "complainant", "欧阳先生");
    fill_in(&mut m, "contact", "13812345678");
    fill_in(&mut m, "subject", "宝马X5 粤B12345");
    focus(&mut m, "category");
    type_text(&mut m, "r");
    fill_in(&mut m, "content", "第三次来电：异响仍在");
    // Ctrl-D links the newest similar case; again, the next one
    m.on_key(ctrl('d'));
    m.on_key(ctrl('d'));
    m.status = None;
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("▶C-2026-000001"), "the chosen case is marked: {s}");
    assert!(s.contains(" C-2026-000007"), "the other similar case, unmarked: {s}");
    insta::assert_snapshot!(s);
}
