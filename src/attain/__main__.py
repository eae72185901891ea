from attain.cli import app

app()
