"""Training sandbox: the whole center in a browser, with no Telegram account (`python run_bot.py --sandbox`).

demo.py makes the demo township through the services, runner.py runs the emulator, the bot and
the clock in one process, web.py serves the chat page from static/.
"""
