import logging
from pathlib import Path

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("faq-bot")

# --- integration settings ---
MOODLE_URL = "https://campus.example.edu/webservice/rest/server.php"
MOODLE_TOKEN = "07534dc720f6da9fd82109dcea2e9895"
INDEX_DIR = Path("vector_index")
REFRESH_EVERY = 6 * 3600
