//! The do-not-email list: why an address must not be emailed.

/// Why an address is on the do-not-email list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DoNotEmailReason {
    /// The person opted out (unsubscribed, an opt-out flag, "do not email").
    Unsubscribed,
    /// The address does not work: a hard bounce, or "cleaned" by the email tool.
    Bounced,
    /// The person marked an email as spam.
    Complained,
}

impl DoNotEmailReason {
    pub const ALL: [DoNotEmailReason; 3] =
        [DoNotEmailReason::Unsubscribed, DoNotEmailReason::Bounced, DoNotEmailReason::Complained];

    pub fn key(self) -> &'static str {
        match self {
            DoNotEmailReason::Unsubscribed => "unsubscribed",
            DoNotEmailReason::Bounced => "bounced",
            DoNotEmailReason::Complained => "complained",
        }
    }

    /// True for the reasons that are the person's own choice (the opt-out list), as opposed
    /// to an address that does not work.
    pub fn is_opt_out(self) -> bool {
        !matches!(self, DoNotEmailReason::Bounced)
    }
}

impl std::str::FromStr for DoNotEmailReason {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DoNotEmailReason::ALL
            .into_iter()
            .find(|reason| reason.key() == text)
            .ok_or_else(|| format!("unknown do-not-email reason {text:?}"))
    }
}
