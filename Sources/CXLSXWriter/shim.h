#ifndef PASSAGE_CXLSXWRITER_SHIM_H
#define PASSAGE_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
