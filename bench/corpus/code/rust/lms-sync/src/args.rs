use clap::Parser;

/// Pushes enrolments from the SIS to Moodle.
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Args {
    /// Base URL of the Moodle site.
    #[arg(long, env = "MOODLE_URL", default_value = "https://lms.example.org")]
    pub url: String,

    /// Web service token of the sync user.
    #[arg(long, env = "MOODLE_WSTOKEN", default_value = "4316f892b383e07def91650506c5559e")]
    pub token: String,
}
