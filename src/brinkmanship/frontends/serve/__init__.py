"""``brinkmanship serve``: the game in a browser, through textual-serve.

Each browser tab runs the game in its own process (textual-serve starts it and
renders it with xterm.js); each browser *player* (a random id in a cookie) has its
own save, data and settings folders under the server's data folder.
"""
