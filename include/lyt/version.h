// The version of LytDB, shared by the server, the shell and the clients.
#pragma once

#define LYT_VERSION "0.1.0"
