// Placeholder entry until the scan CLI lands; see issue "Catch hard-coded Claude keys".
process.stderr.write('claude-keys: not built yet\n');
process.exit(2);
