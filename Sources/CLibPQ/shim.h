#ifndef PASSAGE_CLIBPQ_SHIM_H
#define PASSAGE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
