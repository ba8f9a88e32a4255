from brinkmanship.cli import main

raise SystemExit(main())
