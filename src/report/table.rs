//! Aligned tables of text cells, printed (columns two spaces apart) or as
//! GitHub-flavoured Markdown (aligned pipes): the ranking and `compare`.

use crate::color::{Style, paint};

/// A table: its header, its rows, and which columns align left (text; numbers align right).
pub struct Table<const N: usize> {
    pub header: [&'static str; N],
    pub left: [bool; N],
    pub rows: Vec<[String; N]>,
}

impl<const N: usize> Table<N> {
    /// Each column's width in characters: its widest cell or header.
    fn widths(&self, rows: &[[String; N]]) -> [usize; N] {
        std::array::from_fn(|c| {
            rows.iter().map(|row| row[c].chars().count()).chain([self.header[c].chars().count()]).max().unwrap_or(0)
        })
    }

    /// `cells` padded to `widths` on the side each column aligns away from;
    /// `style` paints a cell's text (not its padding, so columns still align).
    fn padded(
        &self,
        cells: [&str; N],
        widths: &[usize; N],
        style: impl Fn(usize, &str) -> Option<Style>,
    ) -> [String; N] {
        std::array::from_fn(|c| {
            let (cell, width) = (cells[c], widths[c]);
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            let text = style(c, cell).map_or_else(|| cell.to_string(), |s| paint(s, cell));
            if self.left[c] { format!("{text}{pad}") } else { format!("{pad}{text}") }
        })
    }

    /// Columns two spaces apart, one line per row after the header.
    pub fn text(&self) -> String {
        self.text_styled(|_, _| None)
    }

    /// [`Table::text`] with the cells of the rows (not the header) that
    /// `style(column, cell)` picks painted in its style.
    pub fn text_styled(&self, style: impl Fn(usize, &str) -> Option<Style>) -> String {
        let widths = self.widths(&self.rows);
        let mut out = self.padded(self.header, &widths, |_, _| None).join("  ").trim_end().to_string();
        out.push('\n');
        for row in &self.rows {
            out += self.padded(row.each_ref().map(String::as_str), &widths, &style).join("  ").trim_end();
            out.push('\n');
        }
        out
    }

    /// A GitHub-flavoured Markdown table with aligned pipes (`|` in cells escaped).
    pub fn markdown(&self) -> String {
        let rows: Vec<[String; N]> =
            self.rows.iter().map(|r| r.each_ref().map(|c| c.replace('\\', "\\\\").replace('|', "\\|"))).collect();
        let widths = self.widths(&rows);
        let line = |cells: [String; N]| format!("| {} |\n", cells.join(" | "));
        let rule: [String; N] = std::array::from_fn(|c| {
            let dashes = "-".repeat(widths[c].max(3) - 1);
            if self.left[c] { format!(":{dashes}") } else { format!("{dashes}:") }
        });
        let mut out = line(self.padded(self.header, &widths, |_, _| None));
        out += &line(rule);
        for row in &rows {
            out += &line(self.padded(row.each_ref().map(String::as_str), &widths, |_, _| None));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_markdown_align_their_columns() {
        let t = Table {
            header: ["name", "usd"],
            left: [true, false],
            rows: vec![["a|b".to_string(), "1.5".to_string()], ["long name".to_string(), "12.25".to_string()]],
        };
        assert_eq!(t.text(), "name         usd\na|b          1.5\nlong name  12.25\n");
        assert_eq!(
            t.markdown(),
            "| name      |   usd |\n| :-------- | ----: |\n| a\\|b      |   1.5 |\n| long name | 12.25 |\n"
        );
    }
}
