//! What a form shows beside itself: related records, similar cases, type-ahead hits.

use crate::domain::access::{self, Act};
use crate::domain::register::{Cond, FieldDef, FieldKind, Lookup, Record, RegisterDef};
use crate::domain::{Msg, REGISTERS, Value};
use crate::store::PageDir;

use super::desk::{describe, record_time};
use super::form::{Hit, Related, Similar, Suggest};
use super::{Level, Model};

impl Model {
    /// Replaces `{op:ID}` by the operator's name and `{step:REGISTER.KEY}` by the step's
    /// label, as the domain writes its logs.
    pub fn render_tokens(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let token = &rest[start + 1..start + end];
            match token.split_once(':') {
                Some(("op", id)) if id.parse::<i64>().is_ok() => {
                    out.push_str(&self.lookup_label(Lookup::Operator, id.parse().unwrap_or(0)))
                }
                Some(("step", key)) => match key.split_once('.') {
                    Some((reg, step)) => out.push_str(&self.t(&format!("step.{reg}.{step}"))),
                    None => out.push_str(token),
                },
                Some(("field", key)) => match key.split_once('.') {
                    Some((reg, field)) => out.push_str(&self.t(&format!("field.{reg}.{field}"))),
                    None => out.push_str(token),
                },
                Some(("choice", key)) => out.push_str(&self.t(&format!("choice.{key}"))),
                _ => out.push_str(&rest[start..=start + end]),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The latest records that name this one in a lookup field: a card's visits and
    /// complaints (rules I8, C17), a case's repeat and duplicate complaints (rule C15).
    /// Only registers the operator may see (rule I6).
    pub(super) fn related(&self, def: &RegisterDef, id: i64) -> (Vec<Related>, bool) {
        const SHOWN: usize = 100;
        let ctx = self.ctx();
        let mut out = Vec::new();
        let mut more = false;
        let roles = self.desk().map(|d| d.op.roles.clone()).unwrap_or_default();
        for other in REGISTERS {
            if !access::may(other, Act::View, &roles) {
                continue;
            }
            let links =
                other.fields.iter().filter(|fd| matches!(fd.kind, FieldKind::Lookup(Lookup::Record(t)) if t == def));
            for fd in links {
                let recs =
                    self.store.page(other, Cond::Ref(fd.key, id), PageDir::First, SHOWN + 1, &ctx).unwrap_or_default();
                more |= recs.len() > SHOWN;
                for r in recs.iter().take(SHOWN).filter(|r| r.id != id || other.name != def.name) {
                    out.push(Related {
                        register: other.name,
                        id: r.id,
                        number: r.number.clone(),
                        at: record_time(other, r),
                        summary: self.related_summary(other, r),
                    });
                }
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.at));
        // a callback's own case first: its number, subject, outcome and handler (rule F1)
        if let Some(src) = def.source
            && let Ok(rec) = self.store.get(def, id)
            && let Some(reg) = def.value(&rec.values, src.register).as_text().and_then(crate::domain::register)
            && let Some(case_id) = def.value(&rec.values, src.id).as_i64()
            && access::may(reg, Act::View, &roles)
            && let Ok(case) = self.store.get(reg, case_id)
            && self.sees(reg, &case)
        {
            out.insert(
                0,
                Related {
                    register: reg.name,
                    id: case.id,
                    number: case.number.clone(),
                    at: record_time(reg, &case),
                    summary: self.case_summary(reg, &case),
                },
            );
        }
        (out, more)
    }

    /// An amount as lists and panels show it: the currency, thousands grouped, two decimals
    /// (`¥8,000.00`).
    pub fn money_text(&self, cents: i64) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let c = cents.unsigned_abs();
        let whole = (c / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let n = format!("{sign}{grouped}.{:02}", c % 100);
        self.i18n.tf("list.money", &[("n", n)])
    }

    /// A case as its callback shows it: subject, where it stands (the decision, the
    /// solution and amount, whether the customer was satisfied), and its handler.
    fn case_summary(&self, def: &RegisterDef, r: &Record) -> String {
        let shown = |k: &str| {
            def.fields
                .iter()
                .zip(&r.values)
                .find(|(d, v)| d.key == k && !v.is_null())
                .map(|(d, v)| describe(self, d, v).replace('\n', " "))
        };
        let labelled = |k: &str| shown(k).map(|t| format!("{} {t}", self.t(&def.label_key(k))));
        let money = |k: &str| match def.index(k).map(|i| &r.values[i]) {
            Some(Value::Money(c)) if *c > 0 => Some(format!("{} {}", self.t(&def.label_key(k)), self.money_text(*c))),
            _ => None,
        };
        [
            shown(def.title),
            shown("step"),
            labelled("satisfaction"),
            labelled("handler_id"),
            money("amount"),
            labelled("solution"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }

    /// A line of a card's history: who came, who served them, and what for (rule I8).
    pub(super) fn related_summary(&self, def: &RegisterDef, r: &Record) -> String {
        let mut parts: Vec<String> = Vec::new();
        let shown = |d: &FieldDef, v: &Value| describe(self, d, v).replace('\n', " ");
        for (d, v) in def.fields.iter().zip(&r.values) {
            if d.key == def.title && !v.is_null() {
                parts.push(shown(d, v));
            }
        }
        // who served: the staff in charge and who received them
        for (d, v) in def
            .fields
            .iter()
            .zip(&r.values)
            .filter(|(d, v)| matches!(d.kind, FieldKind::Lookup(Lookup::Operator)) && !v.is_null())
            .take(2)
        {
            parts.push(format!("{} {}", self.t(&def.label_key(d.key)), shown(d, v)));
        }
        // what it was about: the first text of several lines (a visit's purpose)
        if let Some((d, v)) = def.fields.iter().zip(&r.values).find(|(d, v)| d.kind.is_multiline() && !v.is_null()) {
            parts.push(shown(d, v));
        }
        parts.join(" · ")
    }

    /// Opens the card history's chosen line in its own register, if this operator may see
    /// that register; the card's form stays open in its tab.
    pub(super) fn open_related(&mut self) {
        let Some(r) =
            self.desk().and_then(|d| d.form()).and_then(|f| f.related_at.and_then(|i| f.related.get(i))).cloned()
        else {
            return;
        };
        let may = self.desk().is_some_and(|d| {
            crate::domain::register(r.register).is_some_and(|def| access::may(def, Act::View, &d.op.roles))
                && d.find(r.register).is_some()
        });
        if !may {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        self.save_drafts();
        if let Some(d) = self.desk_mut() {
            d.show(r.register);
        }
        self.refresh_lists();
        self.open_record(r.id);
    }

    /// Rule C15: while a new record is typed, the earlier records of the same matter.
    pub(super) fn refresh_similar(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let (def, Some(f)) = (v.def, v.form.as_ref()) else { return };
        let Some(dd) = def.dedupe else { return };
        if !f.is_new() {
            return;
        }
        let ctx = self.ctx();
        let values = f.values_so_far(&ctx);
        let since = ctx.now - self.settings.int(dd.days) * 86_400;
        let reopen_since = ctx.now - self.settings.int(dd.reopen_days) * 86_400;
        // a read that fails keeps what is shown and says the look could not be made, rather
        // than show "no similar case" (rule C15)
        let mut recs = match self.store.similar(def, &dd, &values, since.min(reopen_since), 8) {
            Ok(r) => r,
            Err(e) => {
                self.say(Msg::new("status.similar_unread").with("why", self.i18n.msg(&e.msg())), Level::Warn);
                return;
            }
        };
        recs.retain(|r| self.sees(def, r));
        // rule C15: a plate, a serial or a unit typed inside a longer subject finds the case too
        let subject = if dd.terms.is_empty() { "" } else { def.value(&values, dd.terms).as_text().unwrap_or("") };
        for term in crate::domain::text::distinctive_terms(subject) {
            let hits = match self.store.search(def, &term, Cond::NotVoided, None, 8, &ctx) {
                Ok(h) => h,
                Err(e) => {
                    self.say(Msg::new("status.similar_unread").with("why", self.i18n.msg(&e.msg())), Level::Warn);
                    return;
                }
            };
            // found by the subject itself, not by a word in another field
            let in_subject = |r: &Record| def.value(&r.values, dd.terms).as_text().is_some_and(|t| t.contains(&term));
            for r in hits.into_iter().filter(in_subject) {
                let at = def.value(&r.values, dd.at).as_i64().unwrap_or(0);
                // a merged complaint stands for its case
                let case = match def.value(&r.values, dd.link).as_i64() {
                    Some(into) => self.store.get(def, into).ok(),
                    None => Some(r),
                };
                if let Some(c) = case
                    && self.sees(def, &c)
                    && at >= since.min(reopen_since)
                    && c.voided.is_none()
                    && !recs.iter().any(|x| x.id == c.id)
                {
                    recs.push(c);
                }
            }
        }
        recs.sort_by_key(|r| std::cmp::Reverse(r.id));
        recs.truncate(8);
        let wf = def.workflow;
        let similar: Vec<Similar> = recs
            .iter()
            .map(|r| {
                let step = wf.map(|w| w.current(def, &r.values).to_string()).unwrap_or_default();
                let finished = wf.is_some_and(|w| w.is_done(&step));
                let last = r.updated_at.unwrap_or(r.created_at);
                Similar {
                    id: r.id,
                    number: r.number.clone(),
                    // who, when and where it stands, so the operator can tell cases apart
                    summary: format!(
                        "{} · {} · {}{}",
                        def.value(&r.values, def.title).as_text().unwrap_or(""),
                        def.value(&r.values, dd.who).as_text().unwrap_or("-"),
                        crate::domain::register::to_local(record_time(def, r), self.offset).format("%m-%d"),
                        match wf {
                            Some(_) => format!(" · {}", self.t(&format!("step.{}.{step}", def.name))),
                            None => String::new(),
                        }
                    ),
                    open: !finished,
                    reopenable: dd.reopen.is_some() && step == "closed" && last >= reopen_since,
                }
            })
            .collect();
        if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
            // a link chosen before the contact or subject changed no longer holds
            if let Some((into, _)) = f.merge_into
                && !similar.iter().any(|s| s.id == into)
            {
                f.merge_into = None;
                f.set(dd.link, "", None);
            }
            f.similar = similar;
        }
    }

    /// Rules I3, I4: what saving a new entry will do to its linked card, said while it is
    /// typed: it joins the card that holds its phone, or a new card is made (for whom, and
    /// whose it is), or nothing when the entry names its card itself.
    pub(super) fn refresh_link_note(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let (def, Some(f)) = (v.def, v.form.as_ref()) else { return };
        let Some(link) = def.link else { return };
        let note = if f.is_new() && f.name == def.name {
            let values = f.values_so_far(&self.ctx());
            let actor = self.actor().map(|p| p.id).unwrap_or(0);
            match (def.value(&values, link.field).is_null(), def.value(&values, link.phone).as_text()) {
                // a card that cannot be read now is not said to be made
                (true, Some(phone)) => match self.facts_for(def, &values).map(|f| f.1) {
                    Err(_) => None,
                    Ok(Some(id)) => self.store.get(link.target, id).ok().map(|card| {
                        let name = link.target.value(&card.values, link.target.title).as_text().unwrap_or("");
                        Msg::new("form.link_found").with("number", &card.number).with("name", name)
                    }),
                    Ok(None) => (link.build)(&values, &self.settings, actor).map(|card| {
                        let t = link.target;
                        let keeper = t
                            .fields
                            .iter()
                            .zip(&card)
                            .find_map(|(d, v)| matches!(d.kind, FieldKind::Lookup(Lookup::Operator)).then_some(v))
                            .and_then(Value::as_i64)
                            .and_then(|id| self.desk().map(|d| d.operator_name(id)));
                        let name = t.value(&card, t.title).as_text().unwrap_or("").to_string();
                        match keeper {
                            Some(k) => {
                                Msg::new("form.link_new").with("name", name).with("phone", phone).with("keeper", k)
                            }
                            None => Msg::new("form.link_new_unkept").with("name", name).with("phone", phone),
                        }
                    }),
                },
                _ => None,
            }
        } else {
            None
        };
        if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
            f.link_note = note;
        }
    }

    /// Suggestions for the focused field, if it offers any.
    pub(super) fn refresh_suggest(&mut self) {
        let Some(f) = self.active_form() else { return };
        let fd = f.def();
        let lookup = match fd.kind {
            FieldKind::Lookup(l) if !fd.readonly => Some(l),
            _ => fd.suggest,
        };
        let query = f.values[f.focus].raw.trim().to_string();
        let focus = f.focus;
        let picked = f.values[f.focus].pick.is_some();
        let mut hits = match lookup {
            Some(l) if !query.is_empty() && !picked => self.hits(l, &query, fd.among),
            _ => Vec::new(),
        };
        // rule C12: the person the record names is not offered for its other operator
        // fields (the handler), whether named by login or by name
        if lookup == Some(Lookup::Operator)
            && let Some(def) = self.desk().and_then(|d| d.view()).map(|v| v.def).filter(|d| d.name == f.name)
            && !def.access.barred.contains(&fd.key)
            && !hits.is_empty()
        {
            let ctx = self.ctx();
            let values = f.values_so_far(&ctx);
            let ops = self.desk().map(|d| d.operators.clone()).unwrap_or_default();
            hits.retain(|h| {
                ops.iter().find(|o| o.id == h.id).is_none_or(|o| access::barred(def, &values, o.id, &o.name).is_none())
            });
        }
        if let Some(f) = self.active_form_mut() {
            f.suggest = if hits.is_empty() { None } else { Some(Suggest { field: focus, hits, selected: None }) };
        }
    }

    /// Type-ahead: records, departments or operators matching `query`; operators only of
    /// the roles a field names (`among`).
    pub(super) fn hits(&self, l: Lookup, query: &str, among: &[crate::domain::Role]) -> Vec<Hit> {
        const N: usize = 6;
        match l {
            Lookup::Operator => {
                let q = query.to_lowercase();
                self.desk()
                    .map(|d| {
                        d.operators
                            .iter()
                            .filter(|o| {
                                !o.disabled
                                    && (among.is_empty() || among.iter().any(|r| o.roles.contains(r)))
                                    && (o.code.to_lowercase().contains(&q) || o.name.to_lowercase().contains(&q))
                            })
                            .take(N)
                            .map(|o| Hit { id: o.id, label: o.name.clone(), fills: vec![] })
                            .collect()
                    })
                    .unwrap_or_default()
            }
            // only departments still offered: a retired one stays on old records only
            Lookup::Department => self
                .store
                .offered_departments()
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, n)| n.contains(query))
                .take(N)
                .map(|(id, label)| Hit { id, label, fills: vec![] })
                .collect(),
            Lookup::Record(def) => {
                let ctx = self.ctx();
                let pick = self.active_form().and_then(|f| crate::domain::register(f.name)).and_then(|d| d.pick);
                let fills = pick.filter(|p| p.from == l).map(|p| p.fills);
                let recs = self.store.search(def, query, Cond::NotVoided, None, N, &ctx).unwrap_or_default();
                recs.iter().map(|r| self.hit(def, r, fills.unwrap_or(&[]))).collect()
            }
        }
    }

    /// A suggested record: its label (title, number and the next two columns its list
    /// shows) and what picking it fills in, as the form's register declares.
    pub(super) fn hit(&self, def: &RegisterDef, r: &Record, fills: &[(&'static str, &'static str)]) -> Hit {
        // a field as the form would show it; of several phones, the first
        let text = |fd: &FieldDef, v: &Value| match (fd.kind, v) {
            (FieldKind::Phones, Value::Text(s)) => crate::domain::phone::display(s.split(',').next().unwrap_or("")),
            _ => describe(self, fd, v),
        };
        let mut label = def.record_label(r);
        for (fd, v) in def
            .fields
            .iter()
            .zip(&r.values)
            .filter(|(fd, v)| fd.list_width > 0 && fd.key != def.title && !v.is_null())
            .take(2)
        {
            label.push_str(" · ");
            label.push_str(&text(fd, v));
        }
        let fills = fills
            .iter()
            .filter_map(|(mine, theirs)| {
                if *theirs == "@record" {
                    return Some((*mine, def.record_label(r), Some(r.id)));
                }
                let i = def.index(theirs)?;
                let (fd, v) = (&def.fields[i], &r.values[i]);
                let pick = matches!(fd.kind, FieldKind::Lookup(_)).then(|| v.as_i64()).flatten();
                (!v.is_null()).then(|| (*mine, text(fd, v), pick))
            })
            .collect();
        Hit { id: r.id, label, fills }
    }
}
