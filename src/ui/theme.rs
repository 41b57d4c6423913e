//! Styles and borders. `NO_COLOR` drops colours (modifiers stay); ASCII borders for
//! CJK terminals that draw box characters double-width.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

pub const ASCII: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }
    pub fn border(&self) -> border::Set<'static> {
        if self.ascii { ASCII } else { border::PLAIN }
    }
    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn tab_active(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn tab(&self) -> Style {
        Style::new()
    }
    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn label(&self) -> Style {
        self.fg(Color::Gray)
    }
    pub fn focus(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Rgb(40, 40, 80))
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn info(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn required(&self) -> Style {
        self.fg(Color::LightRed)
    }
    pub fn voided(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn remote(&self) -> Style {
        self.fg(Color::LightGreen).add_modifier(Modifier::BOLD)
    }
}
