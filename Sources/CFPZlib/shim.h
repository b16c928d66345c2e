#ifndef FPAUDIT_CZLIB_SHIM_H
#define FPAUDIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
