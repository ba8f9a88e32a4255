"""Playing games: the engine, the Session that owns a game, views, save files and the save store."""
