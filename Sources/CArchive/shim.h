#ifndef HUBSCOUT_CARCHIVE_SHIM_H
#define HUBSCOUT_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
