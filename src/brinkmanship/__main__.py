from brinkmanship.frontends.cli import main

raise SystemExit(main())
