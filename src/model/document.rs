//! Document control of a process or workflow, as written under `document:`:
//! its version, where it stands (draft, in review, approved, retired), who
//! approved it and when, when it is next reviewed, and a short change
//! history — what an auditor and a reader ask of a procedure first.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Located;

/// The `document:` block of a process or workflow.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    /// The document's version as the organisation numbers it (`"2.1"`).
    pub version: Option<Located<String>>,
    /// Where the document stands; pages of drafts carry a DRAFT mark.
    pub status: Option<Located<DocumentStatus>>,
    /// Role id of whoever approved this version.
    #[schemars(with = "Option<crate::schema::RoleRef>")]
    pub approved_by: Option<Located<String>>,
    /// When this version was approved (`YYYY-MM-DD`).
    #[schemars(with = "Option<crate::schema::CalendarDate>")]
    pub approved_on: Option<Located<Date>>,
    /// When the document is due for its next review (`YYYY-MM-DD`).
    #[schemars(with = "Option<crate::schema::CalendarDate>")]
    pub review_by: Option<Located<Date>>,
    /// The changes of past versions, newest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// One entry of a document's change history.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub version: Option<Located<String>>,
    #[schemars(with = "Option<crate::schema::CalendarDate>")]
    pub date: Option<Located<Date>>,
    /// What changed, in a sentence.
    pub change: Located<String>,
}

/// Where a process or workflow document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentStatus {
    Draft,
    InReview,
    Approved,
    Retired,
}

impl DocumentStatus {
    /// The status as pages print it.
    pub fn word(self) -> &'static str {
        match self {
            DocumentStatus::Draft => "Draft",
            DocumentStatus::InReview => "In review",
            DocumentStatus::Approved => "Approved",
            DocumentStatus::Retired => "Retired",
        }
    }

    /// Whether the document is not (yet) in force: drafts and documents in
    /// review carry a DRAFT mark.
    pub fn is_draft(self) -> bool {
        matches!(self, DocumentStatus::Draft | DocumentStatus::InReview)
    }
}

/// A calendar date written `YYYY-MM-DD`, checked when read (E0102), so that
/// dates compare as text and print as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub String);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let expected = "a date written YYYY-MM-DD, such as 2027-03-31";
        super::located::checked_text(deserializer, is_calendar_date, expected).map(Date)
    }
}

/// Whether `text` is a real date written `YYYY-MM-DD` (leap years included).
pub fn is_calendar_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else { return false };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The date of a day counted from 1970-01-01 (the civil calendar, as a
/// `SOURCE_DATE_EPOCH` or the clock gives it), written `YYYY-MM-DD`.
pub fn date_of_day(days: i64) -> Date {
    // Shift to eras of 400 years starting on 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date(format!("{year:04}-{month:02}-{day:02}"))
}

/// Today's date for review reminders: `SOURCE_DATE_EPOCH` when set (as
/// reproducible builds do), else the system clock (UTC).
pub fn today() -> Date {
    let seconds =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    date_of_day(seconds.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_dates_are_checked_for_real_days() {
        assert!(is_calendar_date("2027-03-31"));
        assert!(is_calendar_date("2024-02-29"));
        assert!(!is_calendar_date("2023-02-29"));
        assert!(!is_calendar_date("2000-13-01"));
        assert!(!is_calendar_date("2027-3-31"));
        assert!(!is_calendar_date("31.03.2027"));
        assert!(!is_calendar_date("2027-04-31"));
    }

    /// The schema's pattern agrees with the loader on every day of a
    /// common and a leap year and on near misses, except that it cannot
    /// tell leap years: it takes 29 February of every year.
    #[test]
    fn the_schema_date_pattern_agrees_but_for_leap_days() {
        for year in ["2023", "2024"] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year}-{month:02}-{day:02}");
                    let leap_day = month == 2 && day == 29;
                    let schema = crate::schema::pattern_accepts(crate::schema::DATE_PATTERN, &text);
                    assert!(schema == is_calendar_date(&text) || leap_day, "{text}");
                }
            }
        }
    }

    #[test]
    fn days_since_1970_become_civil_dates() {
        assert_eq!(date_of_day(0).0, "1970-01-01");
        assert_eq!(date_of_day(59).0, "1970-03-01");
        assert_eq!(date_of_day(11_016).0, "2000-02-29");
        assert_eq!(date_of_day(20_789).0, "2026-12-02");
        assert_eq!(date_of_day(-1).0, "1969-12-31");
    }
}
