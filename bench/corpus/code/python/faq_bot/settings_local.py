import logging
from pathlib import Path

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("faq-bot")

# --- integration settings ---
MOODLE_URL = "https://campus.example.edu/webservice/rest/server.php"
MOODLE_TOKEN = "cb158ece113fb4fba5978e37ddc744cd"
INDEX_DIR = Path("vector_index")
REFRESH_EVERY = 6 * 3600
